"""Link each quantity in the narrative to what it is about: facts (schema section 4).

For a quantity in a sentence, by clause (rules and words in models/predicates.yaml):
- predicate: the attribute it measures (资金到位率, 设计周期) or the nearest verb
  before it (完成投资, 到位), else the first after it (列入), else the sentence's last;
- subject, first found of: what a forward verb points at (…用于治超站日常支出); a
  project or road named earlier in the clause; the noun phrase between the verb and
  the quantity (投入日常养护资金4230万元); the noun phrase right after a measure
  (280公里自然村(组)通硬化路); the subject of the previous quantity in the clause;
  the project the sentence opened with; the report's project (money and rates only).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, Sequence

import regex

from .extract import Analysis
from .recognize.mention import Mention, json_value
from .recognize.names import rules as name_rules
from .recognize.patterns import alternation, compiled_patterns
from .resolve.references import road_from_match
from .resources import lookup
from .segment import bounded_spans, pos_tagger

FACT_TYPES = ("MONEY", "PERCENT", "LENGTH", "COUNT", "DURATION")
# Facts whose subject can fall back to the report's project: the money trail and rates.
REPORT_LEVEL_TYPES = ("MONEY", "PERCENT")
# Counts and lengths are written before what they measure (3座危桥, 280公里自然村通硬化路).
MEASURE_FIRST_TYPES = ("COUNT", "LENGTH")
_WHITESPACE = regex.compile(r"\s+")


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

    def record(self) -> dict[str, Any]:
        return {
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
        }


@dataclass(frozen=True)
class LinkRules:
    trail_verbs: "regex.Pattern[str]"
    verbs: "regex.Pattern[str]"
    forward: tuple[str, ...]
    attributes: dict[str, "regex.Pattern[str]"]
    generic: frozenset[str]
    clause: "regex.Pattern[str]"
    sentence: "regex.Pattern[str]"
    phrase_ends: frozenset[str]
    phrase_stop_tags: frozenset[str]
    conjunctions: tuple[str, ...]


@lru_cache(maxsize=1)
def link_rules() -> LinkRules:
    spec = lookup("predicates")
    links = alternation(spec["attribute_links"])
    return LinkRules(
        trail_verbs=regex.compile(alternation(spec["trail_verbs"])),
        verbs=regex.compile(alternation(spec["verbs"])),
        forward=tuple(sorted(spec["forward_verbs"], key=len, reverse=True)),
        attributes={
            label: regex.compile(rf"(?P<attr>\p{{Han}}{{1,12}}?{alternation(ends)})(?:{links})?$")
            for label, ends in spec["attribute_endings"].items()
        },
        generic=frozenset(spec["generic_subjects"]),
        clause=regex.compile("[" + regex.escape(spec["clause_marks"]) + "]"),
        sentence=regex.compile(r"[^\n" + regex.escape(spec["sentence_marks"]) + r"]*[" + regex.escape(spec["sentence_marks"]) + r"]?"),
        phrase_ends=frozenset(spec["phrase_ends"]),
        phrase_stop_tags=frozenset(spec["phrase_stop_tags"]),
        conjunctions=tuple(spec["conjunctions"]),
    )


_BRACKETED = regex.compile(r"[(（][^()（）]{1,8}[)）]")
_NOT_IN_PHRASE = regex.compile(r"[\s\p{P}\d]")


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
    return word in name_rules().name_words or tag not in link_rules().phrase_stop_tags


def noun_phrase_before(text: str) -> str:
    """The trailing run of words of `text` that can stand in a noun phrase."""
    kept: list[str] = []
    for word in reversed(_words(text)):
        if not _word_ok(word):
            break
        kept.append(word)
    return "".join(reversed(kept))


def noun_phrase_after(text: str, rules: LinkRules) -> str:
    """The leading noun phrase of `text`, after one leading verb (提前两年实现…目标)."""
    lead = rules.verbs.match(text)
    if lead:
        text = text[lead.end():]
    kept: list[str] = []
    for word in _words(text):
        if word in rules.phrase_ends or not _word_ok(word):
            break
        kept.append(word)
    return "".join(kept)


def _specific(phrase: str, rules: LinkRules) -> bool:
    """Not a word that only says "the money"; one character only if a noun (村, 站)."""
    if not phrase or phrase in rules.generic:
        return False
    return len(phrase) >= 2 or _word_ok(phrase)


def _squash(text: str) -> str:
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


def _masked_text(text: str, masks: list[Mention]) -> str:
    """`text` with every character of the masks (dates, organisations, document numbers)
    turned into a comma, made once per document."""
    pieces: list[str] = []
    pos = 0
    for start, end in sorted((m.start, m.end) for m in masks):
        start = max(start, pos)
        if end <= start:
            continue
        pieces.append(text[pos:start])
        pieces.append("," * (end - start))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def link(analysis: Analysis, doc_id: str, reports: Sequence[ReportInfo] = ()) -> list[Fact]:
    rules = link_rules()
    text = analysis.norm.text
    quantities = [m for m in analysis.mentions if m.type in FACT_TYPES]
    projects = sorted((m for m in analysis.mentions if m.type == "PROJECT"), key=lambda m: m.start)
    project_starts = [p.start for p in projects]
    masked = _masked_text(text, [m for m in analysis.mentions if m.type in ("DATE", "ORG", "DOCNO")])
    report_index = _Reports(reports)
    facts: list[Fact] = []
    qi = 0
    for ss, se in bounded_spans(rules.sentence.finditer(text)):  # work per sentence stays bounded
        if ss == se:
            continue
        in_sentence = []
        while qi < len(quantities) and quantities[qi].start < se:
            if quantities[qi].start >= ss:
                in_sentence.append(quantities[qi])
            qi += 1
        if not in_sentence:
            continue
        line_start = text.rfind("\n", 0, ss) + 1
        line_end = text.find("\n", ss)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        if "\t" in line or line.lstrip().startswith("|"):
            continue  # table rows are indicators, not narrative
        sentence_projects = projects[bisect_left(project_starts, ss):bisect_left(project_starts, se)]
        facts.extend(_link_sentence(analysis, doc_id, report_index, (ss, se), in_sentence, sentence_projects,
                                    masked, rules))
    return facts


def _link_sentence(analysis: Analysis, doc_id: str, reports: _Reports, span: tuple[int, int],
                   quantities: list[Mention], sentence_projects: list[Mention], masked: str,
                   rules: LinkRules) -> list[Fact]:
    text = analysis.norm.text
    ss, se = span
    cuts = [ss] + [m.end() for m in rules.clause.finditer(text, ss, se)] + [se]
    source_span = analysis.norm.to_source(ss, se)
    sentence = _squash(analysis.norm.source[source_span[0]:source_span[1]])
    last_predicate: str | None = None
    previous: tuple[int, str] | None = None  # (end, subject) of the previous quantity
    facts: list[Fact] = []
    for q in quantities:
        cs = max(c for c in cuts if c <= q.start)
        ce = min(c for c in cuts if c > q.start)
        before = _masked(masked, cs, q.start, [p for p in quantities if p.end <= q.start])
        after = text[q.end:ce]

        predicate = None
        attribute = rules.attributes.get(q.type)
        match = attribute.search(before) if attribute else None
        if match:
            predicate = match.group("attr")
        verb_before = _governing_verb(before, rules)
        listed = last_predicate is not None and before.rstrip(",").endswith(rules.conjunctions)
        if listed:
            verb_before = None  # the next item of a list: its verb is the list's
        predicate = predicate or (verb_before.group() if verb_before else None) or last_predicate
        if predicate is None:
            verb_after = rules.verbs.search(after)
            predicate = verb_after.group() if verb_after else None
        last_predicate = predicate or last_predicate

        subject = _subject(text, q, cs, ce, before, after, verb_before, match, previous, sentence_projects, rules)
        source_q = analysis.norm.to_source(q.start, q.end)
        report = reports.at(source_q[0])
        if subject is None:
            if q.type not in REPORT_LEVEL_TYPES and not match:
                continue
            subject = report.project if report and report.project else None
            if subject is None:
                continue
        else:
            previous = (q.end, subject)
        road = _road_in(subject)
        mention = Mention(q.type, source_q[0], source_q[1], analysis.norm.source[source_q[0]:source_q[1]],
                          q.value, q.unit, q.op, q.extra)
        facts.append(Fact(doc_id, report.report if report else None, _squash(subject), road,
                          predicate, mention, report.org if report else None, report.year if report else None, sentence))
    return facts


def _road_in(subject: str) -> str | None:
    """The route code a subject names (G569武仙公路 -> G569, 国道318线… -> G318)."""
    squashed = _squash(subject)
    for pattern in compiled_patterns()["ROAD"]:
        for match in pattern.finditer(squashed):
            road = road_from_match(match)
            if road:
                return road.code
    return None


def _masked(text: str, start: int, end: int, masks: list[Mention]) -> str:
    """text[start:end] with `masks` blanked to commas (`text` comes with dates,
    organisations and document numbers blanked already; the masks are the earlier
    quantities of the sentence)."""
    chars = list(text[start:end])
    for m in masks:
        for i in range(max(m.start, start), min(m.end, end)):
            chars[i - start] = ","
    return "".join(chars)


def _governing_verb(before: str, rules: LinkRules) -> "regex.Match[str] | None":
    """The money-trail verb nearest the quantity, else the clause's first verb: verbs
    later in the clause are mostly inside the noun phrase (实施养护维修工程627公里)."""
    trail = None
    for trail in rules.trail_verbs.finditer(before):
        pass
    return trail or rules.verbs.search(before)


def _subject(text: str, q: Mention, cs: int, ce: int, before: str, after: str, verb_before, attribute,
             previous, sentence_projects: list[Mention], rules: LinkRules) -> str | None:
    forward = after.lstrip()
    for verb in rules.forward:
        if forward.startswith(verb):
            at = q.end + (len(after) - len(forward)) + len(verb)
            ahead = [p for p in sentence_projects if at <= p.start < ce]  # [at, ce) lies in the sentence
            if ahead:
                return ahead[0].text
            phrase = noun_phrase_after(text[at:ce], rules)
            if _specific(phrase, rules):
                return phrase
    in_clause = [p for p in sentence_projects if cs <= p.start and p.end <= q.start]
    if in_clause:
        return in_clause[-1].text
    if not attribute:
        start = verb_before.end() if verb_before else 0
        phrase_before = noun_phrase_before(before[start:])
        phrase_after = noun_phrase_after(after, rules) if q.type != "PERCENT" else ""
        if q.type in MEASURE_FIRST_TYPES and phrase_after:
            # 3座危桥改造: the measure counts what follows; 四个方面…: a generic one, no fact
            head = _words(phrase_after)[0]
            return phrase_after if _specific(phrase_after, rules) and head not in rules.generic else None
        for phrase in (phrase_before, phrase_after):
            if _specific(phrase, rules):
                return phrase
    if previous and previous[0] >= cs and not text[previous[0]:q.start].strip():
        return previous[1]  # 59条377公里: a second measure of the same thing
    opened = [p for p in sentence_projects if p.end <= q.start]
    if opened:
        return opened[0].text
    return None
