"""Word segmentation: jixiao's own jieba.Tokenizer with the project dictionary,
and a spaCy tokenizer built on it.

spaCy's own zh segmenter uses the process-global `jieba`; jixiao keeps a private
Tokenizer so that loading jixiao changes nobody else's segmentation.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Callable, Iterator

import jieba
import jieba.posseg
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from .resources import model_path

USER_DICT = "jieba_dict.txt"


@lru_cache(maxsize=1)
def jieba_tokenizer() -> jieba.Tokenizer:
    """The process's jixiao tokenizer: jieba's main dictionary plus models/jieba_dict.txt."""
    tokenizer = jieba.Tokenizer()
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)  # jieba announces every dictionary load on stderr
    try:
        tokenizer.initialize()
        tokenizer.load_userdict(str(model_path(USER_DICT)))
    finally:
        logger.setLevel(level)
    return tokenizer


@lru_cache(maxsize=1)
def pos_tagger() -> jieba.posseg.POSTokenizer:
    """Part-of-speech tagging over jixiao's tokenizer, for the name rules' short windows."""
    return jieba.posseg.POSTokenizer(jieba_tokenizer())


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) for every word of `text`, whitespace included."""
    return jieba_tokenizer().tokenize(text)


def words(text: str) -> list[str]:
    return jieba_tokenizer().lcut(text)


class JiebaTokenizer:
    """spaCy tokenizer: jieba words, aligned by offset (linear in the text length)."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        token_words: list[str] = []
        spaces: list[bool] = []
        for word, _start, _end in tokens(text):
            if word == " " and token_words and not spaces[-1] and not token_words[-1].isspace():
                spaces[-1] = True
            else:
                token_words.append(word)
                spaces.append(False)
        return Doc(self.vocab, words=token_words, spaces=spaces)

    # Nothing to serialise: the dictionary is read from models/ on first use.
    def to_bytes(self, **_kwargs) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_kwargs) -> "JiebaTokenizer":
        return self

    def to_disk(self, _path, **_kwargs) -> None:
        return None

    def from_disk(self, _path, **_kwargs) -> "JiebaTokenizer":
        return self


@registry.tokenizers("jixiao.JiebaTokenizer.v1")
def create_tokenizer() -> Callable[[Language], JiebaTokenizer]:
    def make(nlp: Language) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab)

    return make
