"""Word segmentation: jixiao's own jieba.Tokenizer with the project dictionary,
a spaCy tokenizer built on it, and the token boundaries the name rules read.

spaCy's own zh segmenter uses the process-global `jieba`; jixiao keeps a private
Tokenizer so that loading jixiao changes nobody else's segmentation.

Only the name rules read words (as boundaries and part-of-speech lookups; mention
offsets never come from them). The spaCy components read them from the Doc;
pipeline.extract reads the same boundaries from `ClauseTokens`, which segments only
the clauses the rules ask about (about a quarter of a report). The words can come
from a compiled build of the same algorithm and dictionary instead:

    segment.set_segmenter("rjieba")     # or JIXIAO_SEGMENTER=rjieba, or --segmenter rjieba

- `jieba` (default, the reference): plain Python jieba;
- `jieba-fast` (`pip install jieba-fast`): jieba's C build, same API;
- `rjieba` (`pip install rjieba`): the Rust port; the project dictionary is loaded
  word by word with add_word.

Their words are not identical to plain jieba's (see README, "Segmenters"), so
plain jieba stays the default. Short-window segmentation in link.py always uses
plain jieba (the search index reads character bigrams, not words).
"""
from __future__ import annotations

import logging
import os
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate, compress
from operator import add
from typing import Callable, Iterable, Iterator

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
    if len(text) <= MAX_RUN or not _may_have_long_run(text) or not _LONG_RUN.search(text):
        return cut(text)
    return [w for _offset, piece in _pieces(text) for w in cut(piece)]


def fold_spaces(all_words: list[str]) -> tuple[list[str], list[bool]]:
    """(words, spaces) for a spaCy Doc: a single space after a word becomes that word's
    trailing space, as spaCy's own zh tokenizer does; other whitespace stays a word."""
    if " " not in all_words:  # the common case: no single spaces to fold into the word before
        return all_words, [False] * len(all_words)
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
    return list(compress(all_words, keep)), list(compress(spaces, keep))


class JiebaTokenizer:
    """spaCy tokenizer: jieba words, aligned by offset (linear in the text length)."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        token_words, spaces = fold_spaces(words(text))
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


class Tokens:
    """Token boundaries of a text: which positions start and end a word (the tokens of
    its spaCy Doc, folded spaces left out)."""

    def __init__(self, starts: list[int], ends: list[int]):
        self.starts = starts  # both ascending: looked up by bisection, with no index built per text
        self.ends = ends

    def ending_at(self, pos: int) -> int | None:
        """The start of the token that ends at `pos`."""
        k = bisect_left(self.ends, pos)
        return self.starts[k] if k < len(self.ends) and self.ends[k] == pos else None

    def starts_at(self, pos: int) -> bool:
        k = bisect_left(self.starts, pos)
        return k < len(self.starts) and self.starts[k] == pos

    def containing(self, pos: int) -> tuple[int, int] | None:
        k = bisect_right(self.starts, pos) - 1
        return (self.starts[k], self.ends[k]) if k >= 0 and pos < self.ends[k] else None

    def prepare(self, positions: Iterable[int]) -> None:
        """Told the places the rules are about to ask about (ClauseTokens segments their
        clauses at once); every token is known here already."""

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        k = bisect_left(self.starts, start)
        out = []
        while k < len(self.starts) and self.starts[k] < end:
            out.append((self.starts[k], self.ends[k]))
            k += 1
        return out


# Where a text can be cut without changing any word: after a character that every
# segmenter keeps as a word of its own (outside jieba's blocks, which jieba-fast and
# rjieba share or narrow) and that no MAX_RUN run contains: whitespace or punctuation.
_DELIMITER = r"[\s\p{P}--[#&._%\-]]"
_NEXT_DELIMITER = regex.compile(_DELIMITER, regex.V1)
_LAST_DELIMITER = regex.compile(_DELIMITER, regex.V1 | regex.REVERSE)
# A delimiter that is punctuation is a token of its own (only whitespace folds or pairs):
# asked about, it needs no clause segmented (the name rules' walks end at one).
_MARK = regex.compile(r"[\p{P}--[#&._%\-]]", regex.V1)
# What ClauseTokens.prepare joins clauses with: a mark, cut as a word of its own by every segmenter.
_JOIN = "。"


@lru_cache(maxsize=4096)
def _is_mark(char: str) -> bool:
    """(asked at every query of the name rules: looked up once per character)"""
    return _MARK.match(char) is not None


@lru_cache(maxsize=4096)
def _is_delimiter(char: str) -> bool:
    """(asked before every word the name rules read: looked up once per character)"""
    return _NEXT_DELIMITER.match(char) is not None


def _is_cut(text: str, pos: int) -> bool:
    """Whether the words end at `pos`, just after a delimiter."""
    if pos >= len(text):
        return True
    before, after = text[pos - 1], text[pos]
    if before == "\r":
        return after != "\n"  # \r\n is one word
    return after != " " or before.isspace()  # a single space folds into the word before it


# ClauseTokens' mark per character: nothing segmented there yet, the first character of a
# token, another character of one, a space folded into the token before it.
_UNSEEN, _FIRST, _INSIDE, _FOLDED = 0, 1, 2, 3
# where a token that starts before ends: at the first character not inside it
_TOKEN_END = re.compile(b"[^%c]" % _INSIDE)


class ClauseTokens(Tokens):
    """The Tokens of the Doc of `text`, segmented clause by clause where they are asked
    for: a clause runs between delimiters (_DELIMITER, _is_cut), across which no word
    and no folded space reaches, so its words are the same alone as in the whole text.
    Rules that read a few places of a text segment only the clauses around them.

    What is segmented is kept as a mark per character (a bytearray of the text's
    length): a query is a byte read or a short find."""

    def __init__(self, text: str):
        self.text = text
        self._marks = bytearray(len(text))

    def _end(self, start: int) -> int:
        """The end of the segmented token that starts at `start`."""
        after = _TOKEN_END.search(self._marks, start + 1)
        return after.start() if after else len(self.text)

    def segmented(self, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """(start, end) of every token segmented so far that starts in [start, end), in order."""
        out, find = [], self._marks.find
        stop = len(self.text) if end is None else end
        pos = find(_FIRST, start, stop)
        while pos >= 0:
            out.append((pos, self._end(pos)))
            pos = find(_FIRST, pos + 1, stop)
        return out

    def _segment(self, pos: int) -> None:
        """Segment the clause that holds `pos`, unless it was already (or `pos` is outside the text)."""
        if 0 <= pos < len(self.text) and not self._marks[pos]:
            start, end = self._clause(pos)
            self._mark(start, end, words(self.text[start:end]))

    def prepare(self, positions: Iterable[int]) -> None:
        """Segment the clauses that queries at `positions` (and just before them) will
        need, those not segmented yet, in one call of the segmenter: the clauses joined
        by a full stop, a word of its own that no word reaches across, are cut as they
        are alone (as the whole text is cut clause by clause). A position where a word
        starts just after a delimiter needs no words: it is left alone."""
        text, spans = self.text, []
        for pos in sorted(positions):
            if (0 <= pos < len(text) and not self._marks[pos] and (not spans or pos >= spans[-1][1])
                    and not self._follows_cut(pos)):
                start, end = self._clause(pos)
                if spans and spans[-1][1] == start:  # clauses side by side are cut as one
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((start, end))
        if not spans:
            return
        if len(spans) == 1:
            self._mark(*spans[0], words(text[spans[0][0]:spans[0][1]]))
            return
        all_words = words(_JOIN.join([text[start:end] for start, end in spans]))
        word_ends = list(accumulate(map(len, all_words)))
        first = joined_end = 0
        for start, end in spans:
            joined_end += end - start
            last = bisect_left(word_ends, joined_end, first)  # the clause's last word: then the full stop
            self._mark(start, end, all_words[first:last + 1])
            first, joined_end = last + 2, joined_end + len(_JOIN)

    def _mark(self, start: int, end: int, token_words: list[str]) -> None:
        """Mark the words of text[start:end], a clause (or clauses side by side)."""
        marks = self._marks
        marks[start:end] = bytes([_INSIDE]) * (end - start)
        if " " in token_words:
            token_words, spaces = fold_spaces(token_words)
            widths = list(map(len, token_words))
            for token_start, width, space in zip(accumulate(map(add, widths, spaces), initial=start), widths, spaces):
                marks[token_start] = _FIRST
                if space:
                    marks[token_start + width] = _FOLDED
        else:  # no space folded: each word starts where the one before ends
            for token_start in accumulate(map(len, token_words[:-1]), initial=start):
                marks[token_start] = _FIRST

    def _clause(self, pos: int) -> tuple[int, int]:
        """(start, end) of the clause that holds `pos`; the searches stay within it but
        for a delimiter or two, so segmenting clause by clause stays linear."""
        text, end = self.text, pos
        while (before := _LAST_DELIMITER.search(text, 0, end)) and not _is_cut(text, before.end()):
            end = before.start()
        start = pos
        while (after := _NEXT_DELIMITER.search(text, start)) and not _is_cut(text, after.end()):
            start = after.end()
        return (before.end() if before else 0), (after.end() if after else len(self.text))

    def _is_mark(self, pos: int) -> bool:
        return 0 <= pos < len(self.text) and _is_mark(self.text[pos])

    # (each query looks among the tokens segmented first: most are answered there)
    def ending_at(self, pos: int) -> int | None:
        if not 0 < pos <= len(self.text):
            return None
        marks = self._marks
        if not marks[pos - 1]:
            char = self.text[pos - 1]
            if char == "\n":  # a word of its own, or with a \r before it (every segmenter's \r\n)
                return pos - 2 if pos > 1 and self.text[pos - 2] == "\r" else pos - 1
            if char == "\t" or _is_mark(char):  # a word of its own
                return pos - 1
            self._segment(pos - 1)  # the token ending at pos holds pos - 1
        # a token ends at pos when pos - 1 is in one and pos is not inside it
        if marks[pos - 1] == _FOLDED or (pos < len(marks) and marks[pos] == _INSIDE):
            return None
        return marks.rfind(_FIRST, 0, pos)

    def starts_at(self, pos: int) -> bool:
        if not 0 <= pos < len(self.text):
            return False
        if self._marks[pos] == _FIRST or self._is_mark(pos) or self._follows_cut(pos):
            return True
        self._segment(pos)
        return self._marks[pos] == _FIRST

    def _follows_cut(self, pos: int) -> bool:
        """Whether a word starts at `pos` just after a delimiter, known without segmenting
        (a single space there may fold into the word before: that one is left to the words)."""
        text = self.text
        return 0 < pos < len(text) and text[pos] != " " and _is_delimiter(text[pos - 1]) and _is_cut(text, pos)

    def containing(self, pos: int) -> tuple[int, int] | None:
        if not 0 <= pos < len(self.text):
            return None
        if not self._marks[pos]:
            if self._is_mark(pos):
                return pos, pos + 1
            self._segment(pos)
        if self._marks[pos] == _FOLDED:
            return None
        # a clause starts with a token, so one starts at or before pos within it
        start = self._marks.rfind(_FIRST, 0, pos + 1)
        return start, self._end(start)

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        pos, stop = max(start, 0), min(end, len(self.text))
        while pos < stop:
            self._segment(pos)
            pos = self._marks.find(_UNSEEN, pos)  # the next place not segmented yet
            if pos < 0:
                break
        return self.segmented(max(start, 0), stop) if start < stop else []
