"""Word segmentation: jixiao's own jieba.Tokenizer with the project dictionary,
and a spaCy tokenizer built on it.

spaCy's own zh segmenter uses the process-global `jieba`; jixiao keeps a private
Tokenizer so that loading jixiao changes nobody else's segmentation.

The words of the spaCy Doc (which the name rules read as boundaries and
part-of-speech lookups; mention offsets never come from them) can come from a
compiled build of the same algorithm and dictionary instead:

    segment.set_segmenter("rjieba")     # or JIXIAO_SEGMENTER=rjieba, or --segmenter rjieba

- `jieba` (default, the reference): plain Python jieba;
- `jieba-fast` (`pip install jieba-fast`): jieba's C build, same API;
- `rjieba` (`pip install rjieba`): the Rust port; the project dictionary is loaded
  word by word with add_word.

Their words are not identical to plain jieba's (see README, "Segmenters"), so
plain jieba stays the default. Short-window segmentation in link.py and the
search index always use plain jieba.
"""
from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from itertools import compress
from typing import Callable, Iterator

import jieba
import regex
import jieba.posseg
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from .errors import JixiaoError
from .resources import model_path

USER_DICT = "jieba_dict.txt"
SEGMENTERS = ("jieba", "jieba-fast", "rjieba")
DEFAULT_SEGMENTER = "jieba"
_MODULES = {"jieba": "jieba", "jieba-fast": "jieba_fast", "rjieba": "rjieba"}
_active = {"name": os.environ.get("JIXIAO_SEGMENTER") or DEFAULT_SEGMENTER}


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
    tokenizer = jieba_tokenizer()
    if tokenizer.dictionary != jieba.dt.dictionary:
        return jieba.posseg.POSTokenizer(tokenizer)
    return _TaggerWithTags(tokenizer, jieba.posseg.dt.word_tag_tab)


class _TaggerWithTags(jieba.posseg.POSTokenizer):
    """A POSTokenizer given its tag table. Importing jieba.posseg read the tags of the
    same main dictionary (350,000 lines, 0.4 s): shared, they are not read again."""

    def __init__(self, tokenizer: jieba.Tokenizer, word_tag_tab: dict[str, str]):
        self.tokenizer = tokenizer
        self.word_tag_tab = word_tag_tab


def available_segmenters() -> list[str]:
    """The segmenters whose package is installed."""
    import importlib.util

    return [name for name in SEGMENTERS if importlib.util.find_spec(_MODULES[name]) is not None]


def set_segmenter(name: str) -> None:
    """Choose the segmenter of the spaCy Doc for this process (and the workers it starts)."""
    if name not in SEGMENTERS:
        raise JixiaoError(f"unknown segmenter {name!r}; expected one of {', '.join(SEGMENTERS)}")
    if name not in available_segmenters():
        raise JixiaoError(f"segmenter {name!r} is not installed (pip install {name})")
    _active["name"] = name
    os.environ["JIXIAO_SEGMENTER"] = name  # worker processes started later follow the setting


def segmenter() -> str:
    """The name of the segmenter in use."""
    return _active["name"]


def _user_words() -> Iterator[tuple[str, int | None, str | None]]:
    """(word, frequency, tag) of every line of models/jieba_dict.txt, as jieba reads them."""
    for line in model_path(USER_DICT).read_text(encoding="utf-8").splitlines():
        parts = line.strip().split(" ")
        if not parts[0]:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        yield parts[0], freq, tag


@lru_cache(maxsize=None)
def _cut_fn(name: str) -> Callable[[str], list[str]]:
    """text -> its words for the segmenter `name`, its dictionary loaded once per process.
    (A list, not jieba's `tokenize` generator: offsets come from the Doc, and the
    generator costs half again as much as the cut itself.)"""
    if name == "jieba":
        return jieba_tokenizer().lcut
    if name == "jieba-fast":
        import jieba_fast

        logging.getLogger("jieba_fast").setLevel(logging.WARNING)
        fast = jieba_fast.Tokenizer()
        fast.initialize()
        fast.load_userdict(str(model_path(USER_DICT)))
        return fast.lcut
    if name == "rjieba":
        import rjieba

        rust = rjieba.Jieba()
        for word, freq, tag in _user_words():
            # jieba's load_userdict suggests a frequency where the line gives none
            rust.add_word(word, freq if freq is not None else jieba_tokenizer().suggest_freq(word), tag or "")
        return rust.cut
    raise JixiaoError(f"unknown segmenter {name!r}; expected one of {', '.join(SEGMENTERS)}")


# jieba's HMM for unknown words copies its path at every character, so a run of
# characters without punctuation costs the square of its length; real sentences are
# far shorter than this, so cutting longer runs changes no real word.
MAX_RUN = 400
# (tried only where a run starts, so that finding one stays linear)
_LONG_RUN = regex.compile(r"(?<![^\s\p{P}])[^\s\p{P}]{%d,}" % (MAX_RUN + 1))
# A few common marks (all of them \p{P}), for a quick first test: runs between these are
# at least as long as runs between all marks, so where none is long, no run is.
_COMMON_BREAK = re.compile(r"[\s，。、；：？！,.;:?!()（）“”《》]")
_WINDOW = MAX_RUN // 2


def _may_have_long_run(text: str) -> bool:
    """False when no run of more than MAX_RUN characters can be in `text`: such a run
    covers a whole window of _WINDOW characters starting at a multiple of _WINDOW, so a
    common mark in every such window rules it out (about 65 short searches per 13,000
    characters, not a pass over every character)."""
    return any(_COMMON_BREAK.search(text, start, start + _WINDOW) is None
               for start in range(0, len(text) - _WINDOW + 1, _WINDOW))


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece): `text` with every run longer than MAX_RUN cut into MAX_RUN pieces."""
    pos = 0
    for run in _LONG_RUN.finditer(text):
        for cut in range(run.start() + MAX_RUN, run.end(), MAX_RUN):
            yield pos, text[pos:cut]
            pos = cut
    yield pos, text[pos:]


def words(text: str) -> list[str]:
    """The words of `text`, whitespace included, by the segmenter in use."""
    cut = _cut_fn(_active["name"])
    if not _may_have_long_run(text) or not _LONG_RUN.search(text):
        return cut(text)
    return [w for _offset, piece in _pieces(text) for w in cut(piece)]


class JiebaTokenizer:
    """spaCy tokenizer: jieba words, aligned by offset (linear in the text length)."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        token_words = words(text)
        if " " not in token_words:  # the common case: no single spaces to fold into the word before
            return Doc(self.vocab, words=token_words, spaces=[False] * len(token_words))
        return self._with_spaces(token_words)

    def _with_spaces(self, all_words: list[str]) -> Doc:
        """A single space after a word becomes that token's trailing space, as spaCy's
        own zh tokenizer does; other whitespace stays a token of its own."""
        keep = [True] * len(all_words)
        spaces = [False] * len(all_words)
        i = all_words.index(" ")
        while True:
            before = i - 1  # folded into only when it is a word, kept, and not yet spaced
            if before >= 0 and keep[before] and not spaces[before] and not all_words[before].isspace():
                spaces[before] = True
                keep[i] = False
            try:
                i = all_words.index(" ", i + 1)
            except ValueError:
                break
        return Doc(self.vocab, words=list(compress(all_words, keep)), spaces=list(compress(spaces, keep)))

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
