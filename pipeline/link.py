"""Link each quantity in the narrative to what it is about: facts (schema section 4).

For a quantity in a sentence, by clause (rules and words in models/predicates.yaml):
- subject, first found of: the item a list's 分别 gives it (A、B分别完成X和Y); what a
  forward verb points at (…用于治超站日常支出); a project named in its clause; the
  sentence's topic (a project or a reference back, 该项目/项目/该工程, opening a
  clause with a figure: later figures of the sentence are about it too); the noun
  phrase between the verb and the quantity (投入日常养护资金4230万元), or before the
  verb (青岚县完成投资4.1亿元), a route in it kept whole (国道319线路面中修); the noun
  phrase right after a measure (280公里自然村(组)通硬化路); the subject of the
  previous figure of the sentence (of any kind for a change: 同比增加186公里); the project
  the paragraph named last, for a sentence naming nothing in a report without a project;
  the report's project (money and rates only; for a report whose kind has none, the one
  project its title names, or what a spending report evaluates: 部门整体支出);
- predicate: the attribute it measures (优良中等路率达到) or the governing verb, with
  what stands between them and the quantity when that is not the subject (完成路基工程);
- part_of: the total of a 其中… breakdown (the last figure of the same unit before it,
  in the sentence or the paragraph's sentence before; a list running on over ；) or
  of 在48亿元中…; a funding-source part keeps the total's subject;
- basis (actual/plan/estimate) and scope (period/cumulative/change) from cue words,
  a part taking its total's unless it has its own; a sentence's plan cue not reaching a
  clause that reports what was done (实际, 累计完成, its own date); period from a DATE
  before it in the sentence (not the base of a comparison: 较上半年), a yearless one
  taking the report's year, a running total after its period's figure as of the period's end.

Work per quantity is bounded (a window of WINDOW characters before it, bisection
over the sentence's clauses, names and dates), so a long line without a stop takes
linear time. Subjects and predicates are spans of the text, given as written (a
Traditional-script report gives Traditional subjects).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Any, Callable, Iterable, Protocol, Sequence, Union

import regex

from .entities import Entity, entity_of, place_of
from .errors import ModelError
from .extract import Analysis
from .recognize.mention import Mention, json_value
from .recognize.names import rules as name_rules
from .recognize.patterns import alternation, compiled_patterns
from .resolve.references import road_from_match
from .resources import lookup
from .segment import pos_tagger
from .structure.reports import to_norm

FACT_TYPES = ("MONEY", "PERCENT", "LENGTH", "COUNT", "DURATION")
# Facts whose subject can fall back to the report's project: the money trail and rates.
REPORT_LEVEL_TYPES = ("MONEY", "PERCENT")
# Counts and lengths are written before what they measure (3座危桥, 280公里自然村通硬化路).
MEASURE_FIRST_TYPES = ("COUNT", "LENGTH")
# Quantities that add up, so can be parts of a total.
ADDITIVE_TYPES = ("MONEY", "LENGTH", "COUNT")
# Characters of a breakdown's item named before its figure with no verb (窄路加宽82.4公里).
MAX_ITEM = 12
# Characters before a quantity that its subject and predicate are looked for in.
WINDOW = 80
# A sentence longer than this is quoted by the window around the figure (a line without stops).
MAX_SENTENCE = 600
BASES = ("actual", "plan", "estimate")
SCOPES = ("period", "cumulative", "change")
_WHITESPACE = regex.compile(r"\s+")

Span = tuple[int, int]
Subject = Union[Span, str]  # a span of the analysed text, or a name given as a string


class ReportInfo(Protocol):
    report: int
    start: int
    end: int
    org: str | None
    year: int | None
    project: str | None


@dataclass
class Fact:
    doc: str
    report: int | None
    subject: str
    road: str | None
    predicate: str | None
    mention: Mention  # source offsets
    org: str | None
    year: int | None
    sentence: str
    basis: str = "actual"
    scope: str = "period"
    period: str | None = None
    part_of: tuple[int, int] | None = None  # source offsets of the total's mention
    is_project: bool = False  # the subject is a named project (or the report's), not a measure
    roads: tuple[str, ...] = ()  # every route named in the figure's clause (县道X018线、乡道Y211线等预防性养护)
    place: str | None = None  # the report's county or city (its organisation's, else its title's)

    @property
    def entity(self) -> Entity | None:
        return entity_of(self.subject, self.road, self.is_project, self.place)

    def record(self) -> dict[str, Any]:
        rec = {
            "kind": "fact",
            "doc": self.doc,
            "report": self.report,
            "subject": self.subject,
            "road": self.road,
            "predicate": self.predicate,
            "value": json_value(self.mention.value),
            "unit": self.mention.unit,
            "mention": [self.mention.start, self.mention.end],
            "org": self.org,
            "year": self.year,
            "sentence": self.sentence,
            "type": self.mention.type,
            "basis": self.basis,
            "scope": self.scope,
            "period": self.period,
            "part_of": list(self.part_of) if self.part_of else None,
            "roads": list(self.roads),
        }
        entity = self.entity
        rec["entity"] = entity.key if entity else None
        rec["entity_kind"] = entity.kind if entity else None
        for key in ("low", "high", "hedge"):  # a range or a hedged figure (schema 1a)
            if key in self.mention.extra:
                rec[key] = json_value(self.mention.extra[key])
        return rec


@dataclass(frozen=True)
class LinkRules:
    trail_verbs: "re.Pattern[str]"
    verbs: "re.Pattern[str]"
    forward: tuple[str, ...]
    attribute_endings: dict[str, tuple[str, ...]]
    attribute_words: dict[str, "re.Pattern[str]"]  # any of a type's endings, anywhere
    attribute_links: "_TrailingRun"
    generic: frozenset[str]
    clause: "re.Pattern[str]"
    sentence: "re.Pattern[str]"
    phrase_ends: frozenset[str]
    phrase_stop_tags: frozenset[str]
    conjunctions: tuple[str, ...]
    references: "re.Pattern[str]"
    openers: "re.Pattern[str]"
    distributive: "re.Pattern[str]"
    list_trailers: "_TrailingRun"
    list_separators: "re.Pattern[str]"
    part_cues: "re.Pattern[str]"
    opening_part: "re.Pattern[str]"  # a part cue after the spaces str.lstrip takes (re's \s is str.isspace)
    funding_sources: tuple[str, ...]
    respondents: frozenset[str]
    estimate: "re.Pattern[str]"
    plan: "re.Pattern[str]"
    plan_sentence: "re.Pattern[str]"
    plan_after: tuple[str, ...]
    actual: "re.Pattern[str]"
    measured_against: "regex.Pattern[str]"
    cumulative: "re.Pattern[str]"
    as_of: "re.Pattern[str]"
    change: "re.Pattern[str]"
    period_cues: "re.Pattern[str]"
    change_units: frozenset[str]
    date_not_period_after: tuple[str, ...]
    compared_with: tuple[str, ...]
    fixed_terms: "re.Pattern[str]"
    head_nouns: frozenset[str]
    works_words: frozenset[str]
    table_words: "re.Pattern[str]"
    project_rates: tuple[str, ...]


class _TrailingRun:
    """The run of `words` (and of the characters of the class `chars`) that ends a text,
    `(?:word|…)+$`, found where the pattern finds it (its leftmost start). The pattern is
    tried only after the last character none of them has (nor a line break, which $ may
    stand before): from every position of a window of masked figures (,,,,) it took
    time quadratic in the window. Mostly the text's last character already has none."""

    def __init__(self, words: Sequence[str], chars: str = ""):
        self.pattern = regex.compile(rf"(?:{alternation(words)}{f'|[{chars}]' if chars else ''})+$")
        self.kept = frozenset("".join(words)) | {"\n"}
        self.has_class = bool(chars)  # without one, a character not kept is outside: no pattern asked
        self.outside = regex.compile(f"[^{''.join(regex.escape(c) for c in sorted(self.kept))}{chars}]", regex.REVERSE)
        self.ends_none: dict[str, bool] = {}  # a character -> no run ends with it (asked of the pattern once)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> "regex.Match[str] | None":
        end = len(text) if endpos is None else endpos
        if pos < end <= len(text):
            last_char = text[end - 1]
            ends_none = self.ends_none.get(last_char)
            if ends_none is None:
                ends_none = self.ends_none[last_char] = last_char not in self.kept and (
                    not self.has_class or self.outside.match(last_char) is not None)
            if ends_none:
                return None  # the run would end with that character
        last = self.outside.search(text, pos, end)
        return self.pattern.search(text, last.end() if last else pos, end)


def _words_of(spec: dict[str, Any], key: str) -> list[str]:
    """A list of words from predicates.yaml, checked: fail fast naming the file and key."""
    value = spec.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w for w in value):
        raise ModelError("predicates.yaml", f"{key!r} must be a non-empty list of words")
    return value


# regex's \s spelt out for re, whose \s also takes \x1c-\x1f (every space is below U+3001)
_SPACES = re.escape("".join(c for c in map(chr, range(0x3001)) if c.isspace() and _WHITESPACE.match(c)))


def _literal(pattern: str) -> "re.Pattern[str]":
    """A pattern of escaped words and marks (no \\s, no \\d, no \\p{…}: they differ) compiled
    with `re`, which finds what `regex` finds in it, at a half to a third of the cost a call."""
    return re.compile(pattern)


def _any(words: Sequence[str]) -> "re.Pattern[str]":
    return _literal(alternation(sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=1)
def link_rules() -> LinkRules:
    spec = lookup("predicates")
    w = lambda key: _words_of(spec, key)  # noqa: E731 - a local shorthand
    measured = spec.get("measured_against")
    if not isinstance(measured, str):
        raise ModelError("predicates.yaml", "'measured_against' must be a pattern")
    references = w("references")
    not_before = alternation(w("reference_not_before"))
    for key in ("plan_cues", "plan_sentence_cues"):
        if any("," in cue for cue in w(key)):  # the blank of _Linker._unmeasured
            raise ModelError("predicates.yaml", f"{key!r}: a cue must not hold a comma")
    return LinkRules(
        trail_verbs=_literal(alternation(w("trail_verbs"))),
        verbs=_literal(alternation(w("verbs"))),
        forward=tuple(sorted(w("forward_verbs"), key=len, reverse=True)),
        attribute_endings={label: tuple(ends) for label, ends in spec["attribute_endings"].items()},
        attribute_words={label: _any(ends) for label, ends in spec["attribute_endings"].items()},
        attribute_links=_TrailingRun(w("attribute_links")),
        generic=frozenset(w("generic_subjects")),
        clause=_literal("[" + regex.escape(spec["clause_marks"]) + "]"),
        sentence=_literal(r"[^\n" + regex.escape(spec["sentence_marks"]) + r"]*[" + regex.escape(spec["sentence_marks"]) + r"]?"),
        phrase_ends=frozenset(w("phrase_ends")),
        phrase_stop_tags=frozenset(w("phrase_stop_tags")),
        conjunctions=tuple(w("conjunctions")),
        references=_literal(rf"(?:{alternation(sorted(references, key=len, reverse=True))})(?!{not_before})"),
        openers=_literal(rf"[{_SPACES},，、:：]*(?:{alternation(w('clause_openers'))})?[{_SPACES},，、:：]*"),
        distributive=_any(w("distributive")),
        list_trailers=_TrailingRun(w("list_trailers"), r"\s,，"),
        list_separators=_any(w("list_separators")),
        part_cues=_any(w("part_cues")),
        opening_part=_literal(rf"\s*+(?:{alternation(sorted(w('part_cues'), key=len, reverse=True))})"),
        funding_sources=tuple(w("funding_sources")),
        respondents=frozenset(w("respondents")),
        estimate=_any(w("estimate_cues")),
        plan=_any(w("plan_cues")),
        plan_sentence=_any(w("plan_sentence_cues")),
        plan_after=tuple(w("plan_after_cues")),
        actual=_any(w("actual_cues")),
        measured_against=regex.compile(measured),
        cumulative=_any(w("cumulative_cues")),
        as_of=_any(w("as_of_cues")),
        change=_literal(rf"(?:{alternation(w('change_cues'))})(?!{alternation(w('level_after_change'))})"),
        period_cues=_any(w("period_cues")),
        change_units=frozenset(w("change_units")),
        date_not_period_after=tuple(w("date_not_period_after")),
        compared_with=tuple(w("compared_with")),
        fixed_terms=_any(w("fixed_terms")),
        head_nouns=frozenset(w("head_nouns")),
        works_words=frozenset(w("works_words")),
        table_words=_any(w("table_words")),
        project_rates=tuple(w("project_rates")),
    )


_BRACKETED = regex.compile(r"[(（][^()（）]{1,8}[)）]")
_NOT_IN_PHRASE = regex.compile(r"[\s\p{P}\p{S}\d]")
# A character no phrase reads past (a comma, a masked figure) that jieba also cuts its
# text at (outside its [\u4E00-\u9FD5a-zA-Z0-9+#&._%-] runs, a word of its own): the
# words before it are the same whether or not the text goes on. Not a bracket, which
# _words may join with what follows (自然村(组)).
_PHRASE_STOP = regex.compile(r"[[\s\p{P}\p{S}\d]--[()（）+#&._%\-0-9]]", regex.V1)
_PHRASE_STOP_BEFORE = regex.compile(_PHRASE_STOP.pattern, regex.V1 | regex.REVERSE)
_BRACKET = re.compile("[()（）]")
_WORDS = regex.compile(r"\p{Han}")
_CELL_GAP = regex.compile(r"[\s\d.≥≤<>=]*")
# Inside a route's section a kilometre post or a 至 joins the parts (国道319线K12+300至K30+900段).
_SHARE = "占"  # a share of the figure before (占65.94%)
_RESPONDENTS = (-1, -1)  # a rate of the people asked, not of a thing named
_FROM_LEVEL = regex.compile(r"由,+$")
# What a report on spending evaluates, in its title: …年度部门整体支出绩效自评报告 -> 部门整体支出
_EVALUATED = regex.compile(r"(?:年度?|^)(\p{Han}{2,10}?支出)绩效")
# a date value without its year: --09, --01/--06 (every part yearless)
_YEARLESS = regex.compile(r"--\d{2}(?:-\d{2})?(?:/--\d{2}(?:-\d{2})?)?")
_WORKS_DONE = regex.compile(r"完成(?:近|约|超过|超)?$")
_SECTION_PART = regex.compile(r"[A-Za-z0-9+.\-]+|至|到")


@lru_cache(maxsize=16384)
def _words(text: str) -> tuple[str, ...]:
    """jieba words, with a short bracketed part kept as one word (自然村(组)通硬化路).
    The windows are short and recur (the same clause heads, the same measures), so
    their segmentation is kept."""
    out: list[str] = []
    pos = 0
    for m in _BRACKETED.finditer(text):
        out.extend(pos_tagger().tokenizer.lcut(text[pos:m.start()]))
        out.append(m.group())
        pos = m.end()
    out.extend(pos_tagger().tokenizer.lcut(text[pos:]))
    return tuple(out)


@lru_cache(maxsize=16384)
def _word_ok(word: str) -> bool:
    if _BRACKETED.fullmatch(word):
        return True
    if _NOT_IN_PHRASE.search(word):
        return False
    tag = pos_tagger().word_tag_tab.get(word, "x")
    rules = link_rules()
    return word in name_rules().name_words or word in rules.head_nouns or tag not in rules.phrase_stop_tags


def _tokens(text: str, start: int, end: int, atoms: Sequence[Span]) -> list[tuple[int, int, bool]]:
    """Words of text[start:end] as (start, end, is_name): the names in `atoms` (routes,
    projects) are one word each."""
    out: list[tuple[int, int, bool]] = []
    pos = start
    for a_start, a_end in atoms:
        if a_end <= start or a_start >= end or a_start < pos:
            continue
        for word in _words(text[pos:a_start]):
            out.append((pos, pos + len(word), False))
            pos += len(word)
        out.append((a_start, min(a_end, end), True))
        pos = min(a_end, end)
    for word in _words(text[pos:end]):
        out.append((pos, pos + len(word), False))
        pos += len(word)
    return out


def _phrase_to(text: str, start: int, end: int, atoms: Sequence[Span]) -> int:
    """How far a phrase read forward from `start` needs text[start:end] segmented: to
    its first _PHRASE_STOP, unless a bracket or a name (`atoms`) before it could
    reach past it. Windows are mostly commas of masked figures: this keeps them short."""
    stop = _PHRASE_STOP.search(text, start, end)
    if stop is None:
        return end
    at = stop.start()
    if any(a_start <= at and a_end > start for a_start, a_end in atoms) or _BRACKET.search(text, start, at):
        return end
    return at


def _phrase_from(text: str, start: int, end: int, atoms: Sequence[Span]) -> int:
    """Where a phrase read backward from `end` needs text[start:end] segmented from:
    after its last _PHRASE_STOP, unless a bracket or a name after it could reach back over it."""
    stop = _PHRASE_STOP_BEFORE.search(text, start, end)
    if stop is None:
        return start
    at = stop.start()
    if any(a_end > at and a_start < end for a_start, a_end in atoms) or _BRACKET.search(text, at, end):
        return start
    return at + 1


def _np_start(text: str, start: int, end: int, atoms: Sequence[Span]) -> int:
    """Start of the noun phrase that ends text[start:end] (== end when there is none).
    A route's section parts (K12+300至K30+900) stay in when a route comes before them."""
    if end <= start:
        return end  # a verb right before the figure: a third of the calls
    cut = _phrase_from(text, start, end, atoms)
    if not any(cut <= a_start < end for a_start, _a_end in atoms):
        return cut + _np_offset(text[cut:end])  # mostly: no name in the words read
    return _np_kept(text, _tokens(text, cut, end, atoms), end)


@lru_cache(maxsize=16384)
def _np_offset(phrase: str) -> int:
    """Where the noun phrase ending `phrase` (its words, no names) starts in it.
    Kept per phrase, as its words are (_words)."""
    return _np_kept(phrase, _tokens(phrase, 0, len(phrase), ()), len(phrase))


def _np_kept(text: str, tokens: list[tuple[int, int, bool]], end: int) -> int:
    """The start of the last run of `tokens` (ending at `end`) that a noun phrase keeps."""
    kept = end
    pending = False  # section parts seen since the last word kept: kept only if a route leads them
    for s, e, is_name in reversed(tokens):
        word = text[s:e]
        if is_name:
            kept, pending = s, False
        elif not pending and _word_ok(word):
            kept = s
        elif _SECTION_PART.fullmatch(word) or (pending and _word_ok(word)):
            pending = True
        else:
            break
    return kept


def _np_after(text: str, start: int, end: int, atoms: Sequence[Span], rules: LinkRules, skip_verb: bool = True) -> Span:
    """The leading noun phrase of text[start:end], after one leading verb (提前两年实现…目标)."""
    if skip_verb:
        lead = rules.verbs.match(text, start, end)
        if lead:
            start = lead.end()
    if not atoms and (start >= end or _PHRASE_STOP.match(text, start, end)):
        return start, start  # mostly a comma or a masked figure right after: nothing to segment
    to = _phrase_to(text, start, end, atoms)
    if rules is link_rules() and not any(start <= a_start < to for a_start, _a_end in atoms):
        return start, start + _np_length(text[start:to])  # mostly: no name in the words read
    return start, _np_stop(text, _tokens(text, start, to, atoms), start, rules)


@lru_cache(maxsize=16384)
def _np_length(phrase: str) -> int:
    """Characters of the noun phrase opening `phrase` (its words, no names). Kept per
    phrase, as its words are (_words)."""
    return _np_stop(phrase, _tokens(phrase, 0, len(phrase), ()), 0, link_rules())


def _np_stop(text: str, tokens: list[tuple[int, int, bool]], start: int, rules: LinkRules) -> int:
    """The end of the first run of `tokens` (from `start`) that a noun phrase keeps."""
    stop = start
    for s, e, is_name in tokens:
        word = text[s:e]
        if not is_name and (word in rules.phrase_ends or not _word_ok(word)):
            break
        stop = e
    return stop


@lru_cache(maxsize=16384)
def _subject_phrase(phrase: str) -> bool:
    """A phrase that can be a subject: specific, not a change (同比增加), not a list item's
    opening (二是…). Kept per phrase, as _specific."""
    rules = link_rules()
    if not _specific(phrase) or rules.change.match(phrase):
        return False
    lead = rules.openers.match(phrase)
    return lead is None or not lead.group()


@lru_cache(maxsize=16384)
def _specific(phrase: str) -> bool:
    """Not a word that only says "the money"; one character only if a noun (村, 站).
    Kept per phrase, as a word's tag is (_word_ok): noun phrases recur."""
    rules = link_rules()
    if not phrase or phrase in rules.generic:
        return False
    if any(p.fullmatch(phrase) for p in (rules.estimate, rules.plan, rules.period_cues)):
        return False  # 预计, 计划, 年度: a cue of the figure, not what it is about
    return len(phrase) >= 2 or _word_ok(phrase)


def _squash(text: str) -> str:
    if text.isprintable() and " " not in text:
        return text  # no whitespace (every other space is not printable): most spans, kept without a pattern
    return _WHITESPACE.sub("", text)


class _Reports:
    """The report at a source position, by bisection (reports are in order and do not overlap)."""

    def __init__(self, reports: Sequence[ReportInfo]):
        self.reports = list(reports)
        self.starts = [r.start for r in self.reports]

    def at(self, pos: int) -> ReportInfo | None:
        k = bisect_right(self.starts, pos) - 1
        if k >= 0 and self.reports[k].start <= pos < self.reports[k].end:
            return self.reports[k]
        # reports are expected in order; fall back to a scan if they are not
        for report in self.reports:
            if report.start <= pos < report.end:
                return report
        return None


def _masked_text(text: str, masks: list[Mention], fill: str = ",") -> str:
    """`text` with every character of the masks (dates, organisations, document numbers,
    quantities) turned into `fill`, made once per document."""
    pieces: list[str] = []
    pos = 0
    for start, end in sorted(map(_SPAN, masks)):
        start = max(start, pos)
        if end <= start:
            continue
        pieces.append(text[pos:start])
        pieces.append(fill * (end - start))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


class _Sorted:
    """Mentions in order of start, with their starts for bisection."""

    def __init__(self, mentions: list[Mention]):
        self.items = sorted(mentions, key=attrgetter("start"))
        self.starts = [m.start for m in self.items]

    def within(self, start: int, end: int) -> list[Mention]:
        return self.items[bisect_left(self.starts, start):bisect_left(self.starts, end)]


_SPAN = attrgetter("start", "end")
_Total = tuple[Mention, Subject | None, str, str]  # a total's figure, subject, basis, scope


class _Paragraph:
    """What a paragraph (a line) carries from sentence to sentence."""

    def __init__(self, line_start: int = -1):
        self.line_start = line_start
        self.referent: Subject | None = None  # the project named last
        self.open_part: _Total | None = None  # a 其中 list running on over ；
        self.part_verb: str | None = None  # the verb of that list's parts
        self._totals: dict[str, _Total] | None = None
        self._table: Callable[[], dict[str, _Total] | None] | None = None

    @property
    def last_total(self) -> dict[str, _Total] | None:
        """unit -> the last total of the paragraph, of a sentence of table cells read only now (see defer)."""
        self._read_table()
        return self._totals

    @last_total.setter
    def last_total(self, totals: dict[str, _Total] | None) -> None:
        self._table, self._totals = None, totals

    def defer(self, read: Callable[["_Paragraph"], None]) -> None:
        """A sentence of table cells gives no fact, only totals that a 其中 after it may break
        down: `read` takes it on a copy of the paragraph as it stands, when they are asked for."""
        self._read_table()  # one deferred before is read now: one at most waits (no chain of them to recurse through)
        before = self._copy()

        def totals() -> dict[str, _Total] | None:
            paragraph = before._copy()  # read on a copy: the same each time it is asked for
            read(paragraph)
            return paragraph.last_total
        self._table = totals

    def _copy(self) -> "_Paragraph":
        copied = _Paragraph.__new__(_Paragraph)  # every field as it stands, without copy.copy's reduce protocol
        copied.__dict__.update(self.__dict__)
        return copied

    def _read_table(self) -> None:
        if self._table is not None:
            read, self._table = self._table, None
            self._totals = read()

    def next_line(self, line_start: int, carries: bool) -> "_Paragraph":
        """The paragraph of the next line, holding this one's totals when `carries` (it opens with 其中)."""
        after = _Paragraph(line_start)
        if carries:
            after._totals, after._table = self._totals, self._table
        return after


class _Linker:
    def __init__(self, analysis: Analysis, doc_id: str, reports: Sequence[ReportInfo],
                 table_regions: Sequence[tuple[int, int]], source_mentions: Sequence[Mention] | None):
        self.rules = link_rules()
        self.analysis = analysis
        self.norm = analysis.norm
        self.text = analysis.norm.text
        self.doc_id = doc_id
        self.reports = _Reports(reports)
        quantities: list[Mention] = []
        names: list[Mention] = []  # projects and routes
        of: dict[str, list[Mention]] = {"PROJECT": [], "ORG": [], "DATE": [], "DOCNO": []}
        # source spans by analysed span: the quantities' (mapped already), then every span written
        self.sources: dict[Span, Span] = {}
        sources = analysis.source_mentions() if source_mentions is None else source_mentions
        for m, source in zip(analysis.mentions, sources):  # one pass, not one per kind; sorting keeps their order among equal starts
            if m.type in FACT_TYPES:
                quantities.append(m)
                self.sources[m.start, m.end] = (source.start, source.end)
                continue
            if m.type in ("PROJECT", "ROAD"):
                names.append(m)
            if m.type in of:
                of[m.type].append(m)
        self.quantities = sorted(quantities, key=attrgetter("start"))
        self.names = _Sorted(names)
        self.projects = _Sorted(of["PROJECT"])
        self.orgs = _Sorted(of["ORG"])
        self.dates = _Sorted(of["DATE"])
        self.masked = _masked_text(self.text, quantities + of["DATE"] + of["ORG"] + of["DOCNO"])
        # the same with quantities as 0s, not commas: a plan measured against may hold its figure (完成年度计划620亿元的)
        self.figures_kept = _masked_text(self.masked, quantities, "0")
        regions = sorted((int(s), int(e)) for s, e in table_regions)
        self.region_starts = [s for s, _e in regions]
        self.region_ends = [e for _s, e in regions]
        self.project_as_written: dict[int, str | None] = {}
        self.places: dict[int, str | None] = {}
        self.subject_texts: dict[Subject, str] = {}
        self.as_written: dict[Span, str] = {}

    # --- where the text is narrative ---------------------------------------------------
    def in_table(self, source_pos: int) -> bool:
        k = bisect_right(self.region_starts, source_pos) - 1
        return k >= 0 and source_pos < self.region_ends[k]

    # --- output as written ------------------------------------------------------------
    def to_source(self, span: Span) -> Span:
        """norm.to_source, once per span: spans recur (mentions, a sentence's topic)."""
        source = self.sources.get(span)
        if source is None:
            source = self.sources[span] = self.norm.to_source(*span)
        return source

    def written(self, span: Span) -> str:
        """The source at an analysed span, whitespace removed (once per span: predicates recur)."""
        text = self.as_written.get(span)
        if text is None:
            s, e = self.to_source(span)
            text = self.as_written[span] = _squash(self.analysis.source[s:e])
        return text

    def subject_text(self, subject: Subject) -> str:
        """As written, whitespace removed, brackets ASCII (schema section 4); once per
        subject of the document (a topic is the subject of figure after figure)."""
        text = self.subject_texts.get(subject)
        if text is None:
            text = subject if isinstance(subject, str) else self.written(subject)
            text = self.subject_texts[subject] = text.replace("（", "(").replace("）", ")")
        return text

    def report_project(self, report: ReportInfo | None) -> str | None:
        """The report's project as the document writes it (the report gives it in Simplified script);
        for a report whose kind has no project field, the one project its title names (a
        single-project progress report: G320…改扩建工程2024年度建设情况报告)."""
        if report is None:
            return None
        key = id(report)
        if key not in self.project_as_written:
            if report.project:
                at = self.norm.source.find(report.project, report.start, report.end)
                self.project_as_written[key] = (_squash(self.analysis.source[at:at + len(report.project)]) if at >= 0
                                                else report.project)
            else:
                self.project_as_written[key] = self._title_project(report)
        return self.project_as_written[key]

    def report_place(self, report: ReportInfo) -> str | None:
        """The report's county or city: its organisation's, else its title's (once per report)."""
        key = id(report)
        if key not in self.places:
            self.places[key] = (_org_place(report.org) if report.org else None) or place_of(getattr(report, "title", None))
        return self.places[key]

    def _title_project(self, report: ReportInfo) -> str | None:
        """The one PROJECT on the report's first line (its title), as written; else what a spending report
        evaluates (部门整体支出); else None."""
        title = getattr(report, "title", None)
        if not title:
            return None
        line_end = self.norm.source.find("\n", report.start, report.end)
        line_end = report.end if line_end < 0 else line_end
        found = [m for m in self.projects.within(to_norm(self.norm, report.start), to_norm(self.norm, line_end))
                 if self.norm.source_offset(m.end - 1) < line_end]
        if len(found) == 1:
            return self.written((found[0].start, found[0].end))
        # a report on spending, not a project (…2023年度部门整体支出绩效自评报告): what it evaluates
        evaluated = _EVALUATED.search(_squash(title))
        return evaluated.group(1) if evaluated and not evaluated.group(1).startswith("项目") else None

    # --- the document -----------------------------------------------------------------
    def link(self) -> list[Fact]:
        """The facts of the document: sentence by sentence of the lines where a figure or a
        project starts. A line naming neither only starts a paragraph (its 其中 carrying the
        last total on), so its sentences are not read."""
        facts: list[Fact] = []
        text = self.text
        paragraph = _Paragraph()
        qi = 0
        read = 0  # the start of the line after the last line read
        for at in sorted({m.start for m in self.quantities}.union(self.projects.starts)):
            if at < read:
                continue
            line_start = max(read, text.rfind("\n", read, at) + 1)
            line_end = text.find("\n", at)
            line_end = len(text) if line_end < 0 else line_end
            if text[read:line_start].strip("\n"):
                paragraph = self._unnamed_lines(read, line_start, paragraph)
            for sent in self.rules.sentence.finditer(text, line_start, line_end):
                ss, se = sent.span()
                if ss == se:
                    continue
                if line_start != paragraph.line_start:
                    paragraph = paragraph.next_line(line_start, self._opens_part(ss, se))
                in_sentence = []
                while qi < len(self.quantities) and self.quantities[qi].start < se:
                    q = self.quantities[qi]
                    if q.start >= ss:
                        in_sentence.append((q, self.to_source((q.start, q.end))))
                    qi += 1
                if in_sentence and all(self.in_table(source[0]) for _q, source in in_sentence):
                    # table cells, no fact: read only if a 其中 asks for their totals
                    paragraph.defer(lambda before, ss=ss, se=se, cells=in_sentence: self.sentence(ss, se, cells, before))
                elif in_sentence:
                    facts.extend(self.sentence(ss, se, in_sentence, paragraph))
                projects = self.projects.within(ss, se)
                if projects:
                    paragraph.referent = (projects[-1].start, projects[-1].end)
                if paragraph.open_part is not None and not text[ss:se].rstrip().endswith((";", "；")):
                    paragraph.open_part = None
            read = line_end + 1
        return facts

    def _opens_part(self, ss: int, se: int) -> bool:
        """Whether a line whose first sentence is text[ss:se] opens with 其中: it breaks down
        the previous line's total."""
        return self.rules.opening_part.match(self.text, ss, se) is not None

    def _unnamed_lines(self, start: int, end: int, paragraph: _Paragraph) -> _Paragraph:
        """The paragraph after the lines in text[start:end] (at least one not empty), none
        naming a figure or a project: each starts a paragraph of its own, holding only the
        totals carried over 其中 openings."""
        text = self.text
        while start < end:
            line_end = text.find("\n", start, end)
            line_end = end if line_end < 0 else line_end
            if line_end > start and not self._opens_part(start, self.rules.sentence.match(text, start, line_end).end()):
                return _Paragraph()
            start = line_end + 1
        return paragraph.next_line(-1, True)

    # --- one sentence -----------------------------------------------------------------
    def sentence(self, ss: int, se: int, figures: list[tuple[Mention, Span]], paragraph: _Paragraph) -> list[Fact]:
        """The facts of the sentence text[ss:se] from its quantities, each with its source span."""
        rules, text, masked = self.rules, self.text, self.masked
        quantities = [q for q, _source in figures]
        if not _WORDS.search(self.masked, ss, se):
            return []  # a cell holding only figures (96.08%|, ≥98%): not narrative
        table_words = len({m.group() for m in rules.table_words.finditer(text, ss, se)})
        glued = sum(1 for a, b in zip(quantities, quantities[1:])  # target and actual cells side by side
                    if a.unit == b.unit and _CELL_GAP.fullmatch(text, a.end, b.start))
        if table_words >= 2 or glued >= 2 or (table_words and glued):
            # an indicator table run together (指标名称…数量指标…, 3座3座88…≥30公里32.6公里77):
            # its cells are indicator records, not narrative
            return []
        # clause marks, not a thousands separator (1,268万吨)
        cuts = [ss] + [m.end() for m in rules.clause.finditer(text, ss, se)
                       if not (m.start() > ss and text[m.start() - 1].isdigit() and text[m.end():m.end() + 1].isdigit())] + [se]
        whole: str | None = None  # the source sentence, squashed once it quotes a fact
        q_starts = [q.start for q in quantities]
        plan_sentence = self._unmeasured_cues(rules.plan_sentence, ss, se)
        parts_at = [m.start() for m in rules.part_cues.finditer(text, ss, se)]
        topic: Subject | None = None
        items: list[Subject] | None = None
        last_predicate: Span | None = None
        previous: Subject | None = None
        periods_given: set[str] = set()  # periods of the sentence's figures of their period
        names_here = bool(self.names.within(ss, se))
        opened: Subject | None = None  # a project opening an earlier clause (…枢纽主体工程完工，累计完成投资3.6亿元)
        opened_clause = 0
        totals: dict[str, tuple[Mention, Subject | None, str, str]] = {}  # unit -> the last of the sentence
        inside_total: tuple[Mention, Subject | None, str, str] | None = None  # 在48亿元中
        roads: dict[Span, tuple[str, ...]] = {}  # a clause -> every route it names
        facts: list[Fact] = []
        for k, (q, source_q) in enumerate(figures):
            ci = bisect_right(cuts, q.start) - 1
            cs, ce = cuts[ci], cuts[min(ci + 1, len(cuts) - 1)]
            ws = max(cs, q.start - WINDOW)
            opening = max(masked.rfind("(", ws, q.start), masked.rfind("（", ws, q.start))
            if opening >= 0 and masked.find(")", opening, q.start) < 0 and masked.find("）", opening, q.start) < 0:
                ws = cs = opening + 1  # (完成年度投资1.2亿元): a figure of its own inside the bracket
            before = masked[ws:q.start]
            # the names near the figure (bounded: a long line without stops stays linear)
            names = self.names.within(max(ss, ws - WINDOW), min(se, q.end + WINDOW))
            atoms = [m.span() for m in rules.fixed_terms.finditer(text, ws, q.start)]  # in order, not overlapping
            if names:
                atoms = sorted([(m.start, m.end) for m in names if ws <= m.start and m.end <= q.start] + atoms)
            report = self.reports.at(source_q[0])

            # the clause's head: a project or a reference back opens it
            head = self._head(ss, cs, q.start, paragraph, report)
            if head is not None:
                topic = head
            while opened_clause < ci:  # clauses without figures before this one: their heads, till one opens with one
                if not opened:
                    opened = self._head(ss, cuts[opened_clause], cuts[opened_clause + 1], paragraph, report)
                opened_clause += 1

            # predicate: an attribute, else the verb
            attribute = self._attribute(ws, q, before)
            verb_span: Span | None = None
            if last_predicate is None or not before.rstrip(",").endswith(rules.conjunctions):
                # (not the next item of a list: its verb is the list's)
                verb = _governing_verb(masked, ws, q.start, rules, atoms)
                verb_span = verb.span() if verb else None

            subject: Subject | None = None
            predicate: Span | None = attribute
            # 分别: the list before it gives each quantity its item
            dist = rules.distributive.search(masked, ws, q.start)
            if dist:
                listed_here = quantities[bisect_left(q_starts, dist.end()):bisect_left(q_starts, ce)]
                new_items = self._list_items(cuts, ci, dist.start(), names, rules)
                if new_items and len(new_items) == len(listed_here):
                    items = new_items
                if items and len(items) == len(listed_here):
                    subject = items[listed_here.index(q)]
                elif q in listed_here:
                    # 农村公路拟分别新建18.6公里、改建22.3公里: each figure has its own verb, and
                    # the subject stands before 分别
                    k0 = listed_here.index(q)
                    item_start = dist.end() if k0 == 0 else listed_here[k0 - 1].end
                    item_start += len(masked[item_start:q.start]) - len(masked[item_start:q.start].lstrip("、，,和及与 "))
                    own_verb = rules.verbs.fullmatch(masked, item_start, q.start)
                    s0 = rules.openers.match(masked, cs, dist.start()).end()
                    e0 = self._trim(s0, dist.start())
                    if own_verb and e0 > s0 and self._subject_like(s0, e0):
                        subject, predicate = (s0, e0), own_verb.span()
            if subject is None:
                subject = self._forward(q, ce, names)
            # a list's item names its own project (其中国道319线东坪段62.8公里、G208岭口至东坪段48.5公里)
            segment = max(cs, quantities[k - 1].end) if k and quantities[k - 1].end > cs else cs
            own = [m for m in names if segment <= m.start and m.end <= q.start and m.type == "PROJECT"] if names else names
            np_span: Span | None = None
            first_in_clause = segment == cs
            if subject is None and own and (head is None or not first_in_clause or own[-1].start > cs + 2):
                subject = (own[-1].start, own[-1].end)
            if subject is None:
                np_span = self._noun_phrase(q, ws, before, verb_span, attribute, atoms)
                if attribute and any(e in masked[attribute[0]:attribute[1]] for e in rules.project_rates):
                    np_span = _RESPONDENTS  # 满意度, 执行率: the evaluated project's
                if not first_in_clause and np_span and np_span != _RESPONDENTS and segment <= np_span[0]:
                    subject, np_span = np_span, None  # the next item of a list (…、乡道15.2公里)
                elif head is not None or (topic is not None and not np_span):
                    subject = topic
                elif topic is not None and np_span and q.type in REPORT_LEVEL_TYPES + ("LENGTH",) and not own:
                    subject = topic  # later clauses of a sentence about a project: the phrase is what was done
                elif np_span == _RESPONDENTS:
                    # the report's project's rate; without one, the rate of the money named before (资金…到位率)
                    subject, np_span = self.report_project(report) or previous, None
                elif np_span:
                    subject = np_span
                    np_span = None
                if np_span == _RESPONDENTS:
                    np_span = None
            # parts of a total
            part_total = self._part_total(q, ss, parts_at, totals, paragraph, inside_total)
            if part_total is not None and subject is None:
                # an item of a breakdown is what its clause names before the figure (其中…，窄路加宽82.4公里)
                s0 = rules.openers.match(masked, cs, q.start).end()
                e0 = self._trim(s0, q.start)
                if e0 - s0 <= MAX_ITEM and self._subject_like(s0, e0) and not rules.verbs.match(masked, s0, e0) \
                        and not _NOT_IN_PHRASE.search(masked, s0, e0):
                    subject = (s0, e0)
            if part_total is not None and subject is not None and not isinstance(subject, str):
                end = self._trim(subject[0], q.start)
                if masked[subject[0]:end].endswith(rules.funding_sources) and part_total[1] is not None:
                    # a funding source: the total's subject, the source in the predicate
                    np_span, subject, predicate, verb_span = (subject[0], end), part_total[1], None, None
            if subject is None and previous is not None and (
                    q.type in REPORT_LEVEL_TYPES or rules.change.match(masked, rules.openers.match(masked, cs, q.start).end(), q.start)):
                subject = previous  # …1265公里，同比增加186公里: a change of the figure before
            if subject is None and opened is not None:
                subject = opened
            if subject is None and q.type == "PERCENT" and attribute is None and ci > 0:
                subject = self._clause_subject(cuts[ci - 1], cuts[ci] - 1)  # 完成公路货运量1,268万吨，同比增长8.6%
            if subject is None and q.type in REPORT_LEVEL_TYPES and not self.report_project(report):
                # a line of accounts with no project to fall back to (本年支出合计2,201.93万元)
                end = self._trim(cs, q.start)
                s0 = _np_start(masked, ws, end, atoms)
                if self._subject_like(s0, end) and not rules.verbs.match(masked, s0, end):
                    subject = (s0, end)
            if (subject is None and q.type in REPORT_LEVEL_TYPES and isinstance(paragraph.referent, tuple)
                    and not self.report_project(report) and not names_here):
                # …工程完成投资6.4亿元；预计全年完成投资12亿元: a sentence naming nothing is about the project named last
                subject = paragraph.referent
            if subject is None and q.type in REPORT_LEVEL_TYPES:
                subject = self.report_project(report)
            if subject is None and attribute and q.type == "LENGTH":
                # 农村公路桥梁87座，总长3,426延米: a length with nothing named before it is of what the sentence just named
                subject = previous or (self._clause_subject(cuts[ci - 1], cuts[ci] - 1) if ci > 0 else None)
            if subject is None and attribute:
                subject = self.report_project(report)
            if subject is None:
                # nothing else named: the body the clause opens with (张掖市交通运输局2023年完成投资…)
                orgs = self.orgs.within(cs, q.start)
                subject = (orgs[-1].start, orgs[-1].end) if orgs else None

            # the predicate, as a span of the text (never the subject itself)
            if np_span and not isinstance(subject, str) and subject and np_span[0] < subject[1] and subject[0] < np_span[1]:
                np_span = (subject[1], np_span[1]) if subject[1] < np_span[1] else None
            if predicate is None and verb_span is not None:
                end = np_span[1] if np_span and np_span[0] >= verb_span[1] else verb_span[1]
                predicate = (verb_span[0], end)
            if predicate is None and np_span:
                predicate = np_span
            if predicate is None and last_predicate is not None:
                predicate = last_predicate
            if predicate is None:
                after = rules.verbs.search(text, q.end, ce)
                predicate = after.span() if after else None
            if predicate is not None:
                last_predicate = predicate

            is_total_inside = text[max(ss, q.start - 1):q.start] == "在" and text.startswith("中", q.end)
            # cues of the whole figure: its clause, or the clause before (not across an opened bracket)
            context = ws if ws > cuts[ci] else (cuts[ci - 1] if ci > 0 else cs)
            if k and quantities[k - 1].end > context:
                context = max(ws, quantities[k - 1].end)  # the clause before has a figure of its own: its cues are its
            context = max(context, q.start - WINDOW)
            basis = self._basis(q, context, ws, cuts, plan_sentence, attribute)
            if basis == "actual" and q.op == ">=":
                basis = "plan"  # 30公里以上, 不低于80%: a target
            if (basis != "estimate" and facts and masked[max(ws, quantities[k - 1].end):q.start].lstrip(", ").startswith(_SHARE)
                    and not self._unmeasured_cues(rules.plan, ws, q.start)):
                basis = facts[-1].basis  # 预算868.47万元，占65.94%: a share of a plan is a plan's, of an actual an actual's
            scope = self._scope(q, context, before)
            if part_total is not None:
                basis = basis if basis != "actual" else part_total[2]
                own_period = rules.period_cues.search(before)
                scope = scope if scope != "period" or own_period else part_total[3]
            period = None if text.startswith(rules.plan_after, q.end) else self._period(q, source_q[0], ss, report)
            if scope == "cumulative" and period and "/" in period and rules.cumulative.search(before):
                if period in periods_given:
                    # 1-9月完成投资8.45亿元，累计完成投资15.6亿元: after the period's own figure, a running total as of its end
                    period = period.split("/")[1]
                else:
                    scope = "period"  # 2024年1-9月，全市累计完成…: the period's total
            if q.unit is not None:
                entry = (q, subject, basis, scope)
                if is_total_inside:
                    inside_total = entry
                if part_total is None or q.type not in ADDITIVE_TYPES:
                    totals[q.unit] = entry
            if is_total_inside or subject is None:
                continue
            previous = subject
            if scope == "period" and period:
                periods_given.add(period)
            subject_text = self.subject_text(subject)
            if not subject_text:
                continue
            if self.in_table(source_q[0]):
                continue
            part_of = self.to_source((part_total[0].start, part_total[0].end)) if part_total else None
            mention = Mention(q.type, source_q[0], source_q[1], self.analysis.source[source_q[0]:source_q[1]],
                              q.value, q.unit, q.op, q.extra)
            if whole is None:
                whole = self.written((ss, se))
            sentence = whole if len(whole) <= MAX_SENTENCE else self._window(q)
            plain = subject if isinstance(subject, str) else text[subject[0]:subject[1]]
            is_project = (isinstance(subject, str) or subject == paragraph.referent
                          or any(m.type == "PROJECT" and (m.start, m.end) == subject for m in names))
            if (cs, ce) not in roads:
                named = self.names.within(cs, ce)
                roads[cs, ce] = tuple(dict.fromkeys(m.value for m in named if m.type == "ROAD" and isinstance(m.value, str))
                                      ) if named else ()
            facts.append(Fact(self.doc_id, report.report if report else None, subject_text, _road_in(plain),
                              self.written(predicate) if predicate else None, mention,
                              report.org if report else None, report.year if report else None, sentence,
                              basis, scope, period, part_of, is_project, roads[cs, ce],
                              self.report_place(report) if report else None))
        if parts_at and paragraph.open_part is None:
            opened = [f for f in facts if f.part_of]
            if opened:
                earlier = list((paragraph.last_total or {}).values())
                total = next((t for t in [*totals.values(), *earlier]
                              if self.to_source((t[0].start, t[0].end)) == opened[-1].part_of), None)
                paragraph.open_part = total
                paragraph.part_verb = opened[-1].predicate
        if totals:
            paragraph.last_total = totals
        return facts

    def _window(self, q: Mention) -> str:
        return self.written((max(0, q.start - MAX_SENTENCE // 2), min(len(self.text), q.end + MAX_SENTENCE // 2)))

    def _unmeasured_cues(self, cues: "re.Pattern[str]", start: int, end: int) -> list[int]:
        """Where `cues` (plan words) stand in text[start:end] once plans measured against are
        blanked (see _unmeasured), as offsets into it. Blanking only turns characters into
        commas, which no cue has (link_rules checks): where the plain text has none, it has none."""
        if not cues.search(self.figures_kept, start, end):
            return []
        return [m.start() for m in cues.finditer(self._unmeasured(start, end))]

    def _unmeasured(self, start: int, end: int) -> str:
        """text[start:end] with plan words measured against (完成年度计划的) and fixed terms
        (一般公共预算) blanked, same length."""
        blank = lambda m: "," * len(m.group())  # noqa: E731 - a local shorthand
        return self.rules.fixed_terms.sub(blank, self.rules.measured_against.sub(blank, self.figures_kept[start:end]))

    # --- subjects ---------------------------------------------------------------------
    def _head(self, ss: int, cs: int, end: int, paragraph: _Paragraph, report: ReportInfo | None) -> Subject | None:
        """A project, or a reference back, opening the clause [cs, end) of the sentence at ss."""
        rules = self.rules
        lead = rules.openers.match(self.masked, cs, end)
        at = lead.end() if lead else cs
        starts, items = self.projects.starts, self.projects.items
        k = bisect_left(starts, at)
        if k < len(items) and items[k].start == at and items[k].end <= end:
            return (items[k].start, items[k].end)
        if rules.references.match(self.masked, at, end):
            k = bisect_right(starts, at) - 1
            if k >= 0 and items[k].start >= ss and items[k].end <= at:
                return (items[k].start, items[k].end)  # named earlier in the sentence
            return paragraph.referent or self.report_project(report)
        return None

    def _forward(self, q: Mention, ce: int, names: list[Mention]) -> Subject | None:
        text, rules = self.text, self.rules
        after = text[q.end:min(ce, q.end + WINDOW)]
        forward = after.lstrip()
        if not forward.startswith(rules.forward):
            return None  # mostly: no verb points forward
        for verb in rules.forward:
            if forward.startswith(verb):
                at = q.end + (len(after) - len(forward)) + len(verb)
                ahead = [p for p in names if at <= p.start < ce and p.type == "PROJECT"]
                if ahead:
                    return (ahead[0].start, ahead[0].end)
                s, e = _np_after(self.masked, at, min(ce, at + WINDOW), (), rules)
                if _specific(text[s:e]):
                    return (s, e)
        return None

    def _noun_phrase(self, q: Mention, ws: int, before: str, verb_span: Span | None, attribute: Span | None,
                     atoms: list[Span]) -> Span | None:
        """The noun phrase the quantity is about within its clause, or None."""
        rules, masked = self.rules, self.masked
        if attribute is not None:
            s = _np_start(masked, ws, attribute[0], atoms)
            phrase = masked[s:attribute[0]]
            if phrase in rules.respondents:
                return _RESPONDENTS  # 沿线群众满意度: about the evaluated project
            if _specific(phrase):
                return (s, attribute[0])
            if q.type != "LENGTH":
                return None  # a rate or an amount with nothing named before it: the report's project's
            # 小修保养里程1800公里: what the measure word follows is the subject
            core = masked[attribute[0]:attribute[1]]
            links = rules.attribute_links.search(core)
            core = core[:links.start()] if links else core
            ending = max((e for e in rules.attribute_endings[q.type] if core.endswith(e)), key=len, default="")
            end = attribute[0] + len(core) - len(ending)
            return (attribute[0], end) if self._subject_like(attribute[0], end) else None
        after = self._phrase_after(q) if q.type in MEASURE_FIRST_TYPES else None
        if after:
            # 3座危桥改造: the measure counts what follows; 四个方面…: a generic one, no fact
            head = _words(masked[after[0]:after[1]])[0]
            return after if head not in rules.generic else None
        verb_end = verb_span[1] if verb_span else ws
        end = self._trim(verb_end, q.start)
        s = _np_start(masked, verb_end, end, atoms)
        between = (s, end) if self._subject_like(s, end) else None
        if (between is None and verb_span is not None and s == verb_end < end and masked[s:end] in rules.generic
                and masked[verb_span[0]:verb_span[1]] in rules.works_words):
            between = (verb_span[0], end)  # 年需养护资金1850万元: a works verb and 资金 make one noun (养护资金, 建设资金)
        if between and verb_span is not None and self._verbal_noun(between):
            # 国省干线养护投资2.74亿元, 部门预算收入4.52亿元: a bare 投资/收入 after the verb is the
            # verb's object; what the figure is about stands before the verb
            s0 = _np_start(masked, ws, self._trim(ws, verb_span[0]), atoms)
            if self._subject_like(s0, verb_span[0]):
                return (s0, between[1])
        if between:
            return between
        if verb_span is not None:
            end = self._trim(ws, verb_span[0])
            s = _np_start(masked, ws, end, atoms)
            if self._subject_like(s, end):
                return (s, end)  # 青岚县完成投资4.1亿元
        return after if q.type in MEASURE_FIRST_TYPES else self._phrase_after(q)

    def _phrase_after(self, q: Mention) -> Span | None:
        """The specific noun phrase right after a figure that is not a rate (280公里自然村通硬化路)."""
        if q.type == "PERCENT":
            return None
        a = _np_after(self.masked, q.end, min(len(self.masked), q.end + WINDOW), (), self.rules)
        return a if _specific(self.masked[a[0]:a[1]]) else None

    def _clause_subject(self, start: int, end: int) -> Span | None:
        """What a clause without a figure is about: the phrase before its verb, else after it."""
        start = max(start, end - WINDOW)
        verb = _governing_verb(self.masked, start, end, self.rules)
        if verb is None:
            return None
        v_start, v_end = verb.span()
        end_before = self._trim(start, v_start)
        s = _np_start(self.masked, start, end_before, ())
        if self._subject_like(s, end_before):
            return (s, end_before)
        a = _np_after(self.masked, v_end, end, (), self.rules, skip_verb=False)
        return a if self._subject_like(*a) else None

    def _trim(self, start: int, end: int) -> int:
        """`end` moved back over words that stand between a subject and its verb or figure
        (共, 实际, 同比; 不低于, 达到)."""
        links = self.rules.attribute_links.search(self.masked, start, end)
        end = links.start() if links else end
        trailer = self.rules.list_trailers.search(self.masked, start, end)
        return trailer.start() if trailer else end

    def _verbal_noun(self, span: Span) -> bool:
        """One word that is a verb used as a noun (投资, 收入), nothing naming what."""
        words = _words(self.masked[span[0]:span[1]])
        return len(words) == 1 and pos_tagger().word_tag_tab.get(words[0]) in ("v", "vn")

    def _subject_like(self, start: int, end: int) -> bool:
        return _subject_phrase(self.masked[start:end])

    def _list_items(self, cuts: list[int], ci: int, at: int, names: list[Mention], rules: LinkRules) -> list[Subject]:
        """The items of the list a 分别 at `at` distributes over: before it in its clause,
        or in the clause before when it opens its own (拟分别新建…)."""
        masked = self.masked
        start = max(cuts[ci], at - WINDOW)
        region = (start, at)
        trimmed = rules.list_trailers.search(masked, *region)
        end = trimmed.start() if trimmed else at
        lead = rules.openers.match(masked, start, end)
        start = lead.end() if lead else start
        if end <= start and ci > 0:
            start, end = max(cuts[ci - 1], cuts[ci] - WINDOW), cuts[ci] - 1
        if end <= start:
            return []
        pieces: list[Span] = []
        pos = start
        for sep in rules.list_separators.finditer(masked, start, end):
            pieces.append((pos, sep.start()))
            pos = sep.end()
        pieces.append((pos, end))
        if len(pieces) < 2:
            return []
        spans = [(m.start, m.end) for m in names]
        items: list[Subject] = []
        for n, (s, e) in enumerate(pieces):
            inside = [m for m in names if s <= m.start and m.end <= e and m.type == "PROJECT"]
            if inside:
                items.append((inside[0].start, inside[0].end))
                continue
            lead = rules.openers.match(masked, s, e)
            s = lead.end() if lead else s
            # 完成危桥改造14座、安防工程236公里，分别…: an item is its noun phrase, not the clause's verb or its own figure
            e = s + len(masked[s:e].rstrip(", "))
            verb = rules.verbs.match(masked, s, e)
            if verb and verb.end() < e and n == 0:
                s = verb.end()
            if n == len(pieces) - 1:
                first = _np_after(masked, s, e, spans, rules, skip_verb=False)
                if first[1] > first[0]:
                    e = first[1]  # the last item ends where its clause goes on (…石梁段2个项目完成初步设计)
            if not masked[s:e].strip(", "):
                return []
            items.append((s, e))
        first_words = _words(masked[items[0][0]:items[0][1]]) if not isinstance(items[0], str) else ()
        out: list[Subject] = [items[0]]
        attributes = {e for ends in rules.attribute_endings.values() for e in ends}
        for item in items[1:]:
            # 等级路里程及比例: a one-word item shares the first item's head (等级路比例)
            word = masked[item[0]:item[1]] if not isinstance(item, str) else item
            if (len(first_words) > 1 and word in attributes and len(_words(word)) == 1
                    and not any(s[0] == item[0] for s in spans)):
                out.append("".join(first_words[:-1]) + word)
            else:
                out.append(item)
        return out

    def _attribute(self, ws: int, q: Mention, before: str) -> Span | None:
        """The attribute phrase a rate or duration measures (优良中等路率达到), as a span."""
        endings = self.rules.attribute_endings.get(q.type)
        if not endings or not self.rules.attribute_words[q.type].search(before):
            return None  # what the core would end with is nowhere before the figure
        links = self.rules.attribute_links.search(before)
        core_end = links.start() if links else len(before)
        # 比例由92.6%提高到97.1%: the second level is of the same attribute
        level = _FROM_LEVEL.search(before, 0, core_end)
        core_end = level.start() if level else core_end
        core = before[:core_end]
        if not core.endswith(endings):
            return None  # nor can its last word end so: segmented only when it does
        # the last words are enough (the loop below stops at a stop); a core that ends in one is read whole
        cut = _phrase_from(core, 0, core_end, ())
        words = _words(core[cut:] if cut < core_end else core)
        # the ending's word, with the short words before it when it is short itself (优良中等路率)
        pos = core_end
        taken = 0
        for i, word in enumerate(reversed(words)):
            if i == 0:
                pos -= len(word)
                taken = len(word)
                if taken >= 3:
                    break
                continue
            if len(word) > 2 or not _word_ok(word) or taken + len(word) > 6:
                break
            pos -= len(word)
            taken += len(word)
        return (ws + pos, q.start if links is None else ws + len(before))

    # --- parts, basis, scope, period --------------------------------------------------
    def _part_total(self, q: Mention, ss: int, parts_at: list[int], totals, paragraph: _Paragraph,
                    inside_total) -> tuple[Mention, Subject | None, str, str] | None:
        if q.type not in ADDITIVE_TYPES:
            return None
        total = None
        if inside_total is not None and inside_total[0].unit == q.unit:
            total = inside_total
        else:
            cue = parts_at[:bisect_left(parts_at, q.start)][-1:]
            if cue:
                earlier = totals.get(q.unit)
                if earlier is not None and earlier[0].end <= cue[-1]:
                    total = earlier
                elif earlier is None and not self.text[ss:cue[-1]].strip(" ,，:：") and paragraph.last_total:
                    total = paragraph.last_total.get(q.unit)  # 其中 opens the sentence: the total is before it
            elif paragraph.open_part is not None and paragraph.open_part[0].unit == q.unit:
                # a 其中 list runs on over ； with items of a name and a figure (其他收入112.76万元),
                # or of the parts' own verb (其中，公路完成投资…；水路完成投资…)
                verb = _governing_verb(self.masked, max(ss, q.start - WINDOW), q.start, self.rules)
                if verb is None or verb.group() == paragraph.part_verb:
                    total = paragraph.open_part
        if total is None or total[0] is q:
            return None
        t, v = total[0].value, q.value
        if t is not None and v is not None and v > t:
            return None  # a part is not larger than its total
        return total

    def _basis(self, q: Mention, context: int, ws: int, cuts: list[int], plan_sentence: list[int],
               attribute: Span | None) -> str:
        rules = self.rules
        if rules.estimate.search(self.masked, context, q.start):
            return "estimate"
        # a rate is measured (预算执行率96.04%): plan words inside its attribute do not count
        if self._unmeasured_cues(rules.plan, ws, attribute[0] if attribute and q.type == "PERCENT" else q.start):
            return "plan"
        if self.text.startswith(rules.plan_after, q.end):
            return "plan"
        sentence_start = cuts[0]
        if plan_sentence and plan_sentence[0] + sentence_start < q.start:
            if rules.actual.search(self.masked, context, q.start) or self.dates.within(context, q.start):
                return "actual"  # 今年计划完成投资32亿元，1-9月完成/实际完成/累计完成…: its own frame is done
            return "plan"
        return "actual"

    def _scope(self, q: Mention, context: int, before: str) -> str:
        rules = self.rules
        if q.unit in rules.change_units:
            return "change"
        # the words since the last figure, past a list's 和/、 (下降12.5%和20%: both changes)
        for piece in reversed(before[-24:].split(",")):
            if piece.strip() and piece.strip() not in rules.conjunctions:
                if rules.change.search(piece):
                    return "change"
                break  # only the last such piece
        if rules.cumulative.search(before) or rules.as_of.search(self.masked, context, q.start):
            return "cumulative"
        if q.type == "PERCENT" and _WORKS_DONE.search(before):
            return "cumulative"  # a works progress ratio (路基工程完成85%)
        return "period"

    def _period(self, q: Mention, q_at: int, ss: int, report: ReportInfo | None) -> str | None:
        """The value of the last DATE before the figure in its sentence, unless that date is
        not the figure's period (2023年年初预算); a date without its year (上半年, 1-9月:
        --01/--06) takes the report's year, and is no period when the report has none.
        `q_at`: the figure's source offset (a date on another source line is not its period)."""
        rules = self.rules
        k = bisect_left(self.dates.starts, q.start) - 1
        while k >= 0 and self.dates.items[k].end > q.start:
            k -= 1
        if k >= 0 and self.text[max(ss, self.dates.items[k].start - 2):self.dates.items[k].start].endswith(rules.compared_with):
            k -= 1  # 增速较上半年提高1.2个百分点: the base of a comparison is not the figure's period
        if k < 0 or self.dates.items[k].start < ss:
            return None
        d = self.dates.items[k]
        if self.text.startswith(rules.date_not_period_after, d.end) or d.text.endswith(rules.date_not_period_after):
            return None
        # a date on another line of the source (lines the normaliser joined) is not the figure's
        if self.analysis.source.find("\n", *sorted((self.to_source((d.start, d.end))[0], q_at))) >= 0:
            return None
        if not isinstance(d.value, str):
            return None
        if "--" not in d.value:
            return d.value
        year = report.year if report else None
        return d.value.replace("--", f"{year}-") if year and _YEARLESS.fullmatch(d.value) else None


def link(analysis: Analysis, doc_id: str, reports: Sequence[ReportInfo] = (),
         table_regions: Sequence[tuple[int, int]] = (), source_mentions: Sequence[Mention] | None = None) -> list[Fact]:
    """The facts of a document's narrative, in order.

    `reports` give each fact its report, organisation, year and (for report-level money
    and rates) project; `table_regions` are half-open source offsets of tables, whose
    quantities are indicator cells, not facts; `source_mentions` are analysis.source_mentions()
    when the caller has them already. Raises ModelError when predicates.yaml is bad.
    """
    return _Linker(analysis, doc_id, reports, table_regions, source_mentions).link()


@lru_cache(maxsize=1024)
def _org_place(org: str) -> str | None:
    """entities.place_of an organisation, kept per organisation: a name that recurs report after report."""
    return place_of(org)


@lru_cache(maxsize=4096)
def _road_in(subject: str) -> str | None:
    """The route code a subject names (G569武仙公路 -> G569, 国道318线… -> G318); None
    when it names two routes (县道X012线、X015线中修工程). Kept per subject, as a name's
    key is (entities.project_key): subjects recur, fact after fact."""
    squashed = _squash(subject)
    found: set[str] = set()
    for pattern in compiled_patterns()["ROAD"]:
        for match in pattern.finditer(squashed):
            road = road_from_match(match)
            if road:
                found.add(road.code)
    return found.pop() if len(found) == 1 else None


def _outside(matches: Iterable["re.Match[str]"], spans: list[Span]) -> list["re.Match[str]"]:
    """The matches overlapping none of `spans`."""
    if not spans:
        return list(matches)  # mostly: nothing to test against
    return [m for m in matches if not any(s < m.end() and m.start() < e for s, e in spans)]


def _governing_verb(text: str, start: int, end: int, rules: LinkRules,
                    names: Sequence[Span] = ()) -> "re.Match[str] | None":
    """The money-trail verb in text[start:end] nearest the quantity (at `end`), else the
    clause's first verb: verbs later in the clause are mostly inside the noun phrase
    (实施养护维修工程627公里). A verb inside a fixed term (一般公共预算) or a name (`names`:
    省道215…升级改造工程) is not one. The word lists are plain alternations, so a window
    finds what its slice would."""
    fixed = [m.span() for m in rules.fixed_terms.finditer(text, start, end)]
    fixed.extend(names)
    trail = _outside(rules.trail_verbs.finditer(text, start, end), fixed)
    if trail:
        return trail[-1]
    verbs = _outside(rules.verbs.finditer(text, start, end), fixed)
    if not verbs:
        return None
    links = rules.attribute_links.search(text, start, end)
    last = verbs[-1]
    if (len(verbs) > 1 and last.end() == (links.start() if links else end)
            and last.group() not in name_rules().name_words
            and pos_tagger().word_tag_tab.get(last.group()) != "vn"):  # 完成交通固定资产投资: 投资 is the object
        return last  # 干线改造工程完成31.2亿元: the verb right before the figure (not a works noun: 日常养护)
    return verbs[0]
