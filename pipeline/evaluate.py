"""Score extraction records against gold files, by the rules of shared/tools/score.py.

    result = score("corpus/gold", "out/mentions.jsonl")   # or an iterable of records
    print(format_scores(result))

The gold folder holds `<stem>.<kind>s.jsonl` files in the schema of
shared/spec/schema.md; only documents that have gold are scored. Mentions are
scored per type, strict (same offsets) and lenient (overlapping spans), each gold
record matched greedily to at most one prediction. Every kind of record is one
`Section` (how it is scored, how it is shown): mentions, facts, indicators, reports.
"""
from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable

from . import errors
from .errors import InputError
from .load import load_document
from .recognize.mention import MENTION_TYPES, NAME_TYPES, QUANTITY_TYPES as QUANTITY_MENTION_TYPES

Record = dict[str, Any]
Grouped = dict[str, dict[str, list[Record]]]  # kind -> doc -> records
Matcher = Callable[[Record, Record], bool]

KINDS = ("mention", "report", "indicator", "fact")
MODES = ("strict", "lenient")
QUANTITY_TYPES = frozenset(QUANTITY_MENTION_TYPES)
# Types whose value must agree for a match; the others (ORG, PROJECT) are names.
VALUED_TYPES = frozenset(MENTION_TYPES) - frozenset(NAME_TYPES)
RANGE_ENDS = ("low", "high")
# A lenient name match must share this much of its characters (Jaccard) with the gold.
NAME_JACCARD = 0.5
# Problems listed under the scores; the rest are counted.
SHOWN_PROBLEMS = 10
# Where a scored document's source is looked for, beside the gold folder, to check offsets.
SOURCE_DIRS = (".", "corpus", "raw")

_WHITESPACE = re.compile(r"\s+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "〔": "[", "〕": "]"})


def squash(value: Any) -> str:
    """A name or value as compared: no whitespace, one bracket width, upper case."""
    if value is None:
        return ""
    return _WHITESPACE.sub("", str(value).translate(_BRACKETS)).upper()


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)
    if a is None or b is None:
        return a is None and b is None
    return squash(a) == squash(b)


def overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def jaccard(a: Any, b: Any) -> float:
    left, right = set(squash(a)), set(squash(b))
    union = left | right
    return len(left & right) / len(union) if union else 1.0


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.pred + other.pred, self.gold + other.gold)

    def as_dict(self) -> dict[str, float | int]:
        # An empty side scores 1.0 only when the other side is empty too.
        p = self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)
        r = self.tp / self.gold if self.gold else (1.0 if not self.pred else 0.0)
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": p, "r": r, "f": f, "tp": self.tp, "pred": self.pred, "gold": self.gold}


def greedy_pairs(gold: list[Record], pred: list[Record], matches: Matcher) -> list[tuple[Record, Record]]:
    """Each gold record, in order, takes the first prediction not yet taken that matches it."""
    taken: set[int] = set()
    pairs = []
    for g in gold:
        for i, p in enumerate(pred):
            if i not in taken and matches(g, p):
                taken.add(i)
                pairs.append((g, p))
                break
    return pairs


def mention_matcher(strict: bool) -> Matcher:
    def matches(g: Record, p: Record) -> bool:
        if g["type"] != p.get("type"):
            return False
        gold_span, pred_span = (g["start"], g["end"]), _span(p)
        in_place = gold_span == pred_span if strict else overlap(gold_span, pred_span) > 0
        if not in_place:
            return False
        if g["type"] in VALUED_TYPES:
            same_unit = g["type"] not in QUANTITY_TYPES or squash(g.get("unit")) == squash(p.get("unit"))
            # a range (contract v2) must agree on the ends the gold gives
            same_range = all(same_value(g[end], p.get(end)) for end in RANGE_ENDS if end in g)
            return same_value(g.get("value"), p.get("value")) and same_unit and same_range
        return strict or jaccard(g["text"], p.get("text", "")) >= NAME_JACCARD
    return matches


def _span(record: Record) -> tuple[float, float]:
    """The record's offsets; a record without numeric offsets gets a span that matches nothing."""
    start, end = record.get("start"), record.get("end")
    if isinstance(start, (int, float)) and isinstance(end, (int, float)):
        return start, end
    return -1, -1


def score_mentions(gold: Grouped, pred: Grouped, docs: list[str]) -> dict[str, dict[str, dict]]:
    """type -> mode -> p, r, f, tp, pred, gold; for the types that have gold."""
    golds = {d: gold["mention"][d] for d in docs if d in gold["mention"]}
    types = sorted({m["type"] for mentions in golds.values() for m in mentions})
    table = {}
    for t in types:
        table[t] = {}
        for mode in MODES:
            matches, total = mention_matcher(mode == "strict"), Counts()
            for d, mentions in golds.items():
                g = [m for m in mentions if m["type"] == t]
                p = [m for m in pred["mention"].get(d, []) if m.get("type") == t]
                total += Counts(len(greedy_pairs(g, p, matches)), len(p), len(g))
            table[t][mode] = total.as_dict()
    return table


def mention_lines(table: dict[str, dict[str, dict]]) -> list[str]:
    lines = [f"{'mentions':<10}{'strict P':>9}{'R':>7}{'F1':>7}   {'lenient P':>9}{'R':>7}{'F1':>7}{'gold':>6}{'pred':>6}"]
    for t, row in table.items():
        s, l = row["strict"], row["lenient"]
        lines.append(f"{t:<10}{s['p']:>9.3f}{s['r']:>7.3f}{s['f']:>7.3f}   "
                     f"{l['p']:>9.3f}{l['r']:>7.3f}{l['f']:>7.3f}{s['gold']:>6}{s['pred']:>6}")
    return lines


@dataclass(frozen=True)
class Section:
    """One part of the result: its key, how it is scored and how it is shown."""

    name: str
    score: Callable[[Grouped, Grouped, list[str]], Any]
    lines: Callable[[Any], list[str]]


def fact_matches(g: Record, p: Record) -> bool:
    """Same value and unit, overlapping mention, the gold's road, and a subject that
    shares half its characters with the gold's, or contains or is contained in it
    while keeping at least half of it (a fragment of a long name is not the subject)."""
    if not (same_value(g.get("value"), p.get("value")) and squash(g.get("unit")) == squash(p.get("unit"))):
        return False
    gm, pm = g.get("mention"), p.get("mention")
    if gm and pm and not overlap(tuple(gm), tuple(pm)):
        return False
    if g.get("road") and squash(g["road"]) != squash(p.get("road")):
        return False
    gs, ps = squash(g.get("subject")), squash(p.get("subject"))
    if not ps:
        return False
    shorter, longer = sorted((gs, ps), key=len)
    return (shorter in longer and 2 * len(shorter) >= len(longer)) or jaccard(gs, ps) >= NAME_JACCARD


# Fact fields of contract v2, scored as agreement over matched pairs where the gold gives them.
V2_FACT_FIELDS = ("road", "basis", "scope", "period", "part_of")


def _v2_agrees(field: str, gold_value: Any, pred_value: Any) -> bool:
    if field == "part_of":  # the total's mention span: overlapping spans agree
        if gold_value is None or pred_value is None:
            return gold_value is None and pred_value is None
        return overlap(tuple(gold_value), tuple(pred_value)) > 0
    return same_value(gold_value, pred_value)


def score_facts(gold: Grouped, pred: Grouped, docs: list[str], units: Iterable[str] | None = None) -> dict[str, Any]:
    """Facts of the documents annotated for facts; with `units`, only facts in those units."""
    total, agreeing = Counts(), 0
    seen, right = defaultdict(int), defaultdict(int)
    wanted = set(units) if units else None
    for d in docs:
        if d not in gold["fact"]:
            continue
        g, p = gold["fact"][d], pred["fact"].get(d, [])
        if wanted is not None:
            g = [f for f in g if f.get("unit") in wanted]
            p = [f for f in p if f.get("unit") in wanted]
        pairs = greedy_pairs(g, p, fact_matches)
        total += Counts(len(pairs), len(p), len(g))
        agreeing += sum(1 for a, b in pairs if _contains_either(a.get("predicate"), b.get("predicate")))
        for a, b in pairs:
            for f in V2_FACT_FIELDS:
                if f in a:
                    seen[f] += 1
                    right[f] += _v2_agrees(f, a[f], b.get(f))
    if not total.gold:
        return {}
    return {**total.as_dict(), "predicate_agreement": agreeing / total.tp if total.tp else 0.0,
            "fields": {f: right[f] / seen[f] for f in V2_FACT_FIELDS if seen[f]}}


def _contains_either(a: Any, b: Any) -> bool:
    a, b = squash(a), squash(b)
    return a in b or b in a


def fact_lines(f: dict[str, Any]) -> list[str]:
    fields = "".join(f"  {k} {v:.2f}" for k, v in f.get("fields", {}).items())
    return [f"facts      P {f['p']:.3f}  R {f['r']:.3f}  F1 {f['f']:.3f}  (gold {f['gold']}, pred {f['pred']}, "
            f"predicate agreement {f['predicate_agreement']:.3f}){fields}"]


INDICATOR_FIELDS = ("level1", "level2", "target_op", "target", "target_unit", "actual", "weight", "score", "met")
# An indicator row matches a gold row of the same report whose name shares this much (Jaccard).
INDICATOR_JACCARD = 0.6


def score_indicators(gold: Grouped, pred: Grouped, docs: list[str]) -> dict[str, Any]:
    total, right = Counts(), defaultdict(int)
    for d in docs:
        if d not in gold["indicator"]:
            continue
        g, p = gold["indicator"][d], pred["indicator"].get(d, [])
        pairs = greedy_pairs(g, p, lambda a, b: a.get("report") == b.get("report")
                             and jaccard(a.get("name"), b.get("name")) >= INDICATOR_JACCARD)
        total += Counts(len(pairs), len(p), len(g))
        for a, b in pairs:
            for f in INDICATOR_FIELDS:
                right[f] += same_value(a.get(f), b.get(f))
    if not total.gold:
        return {}
    return {**total.as_dict(), "fields": {f: right[f] / total.tp if total.tp else 0.0 for f in INDICATOR_FIELDS}}


def indicator_lines(f: dict[str, Any]) -> list[str]:
    fields = "  ".join(f"{k} {v:.2f}" for k, v in f["fields"].items())
    return [f"indicators P {f['p']:.3f}  R {f['r']:.3f}  F1 {f['f']:.3f}  (gold {f['gold']}, pred {f['pred']})  "
            f"fields: {fields}"]


REPORT_FIELDS = ("title", "org", "year", "project", "budget", "received", "spent", "execution_rate", "self_score",
                 "signed")


def score_reports(gold: Grouped, pred: Grouped, docs: list[str]) -> dict[str, Any]:
    """Reports pair by index; each field's accuracy is over all gold reports
    (`category`, of contract v2, over the gold reports that give it)."""
    n_gold = found = n_pred = n_category = 0
    right = defaultdict(int)
    for d in docs:
        if d not in gold["report"]:
            continue
        by_index = {r.get("report"): r for r in pred["report"].get(d, [])}
        n_pred += len(pred["report"].get(d, []))
        for g in gold["report"][d]:
            n_gold += 1
            p = by_index.get(g["report"])
            if p is None:
                continue
            found += 1
            for f in REPORT_FIELDS:
                right[f] += same_value(g.get(f), p.get(f))
            if "category" in g:
                n_category += 1
                right["category"] += same_value(g["category"], p.get("category"))
    if not n_gold:
        return {}
    fields = {f: right[f] / n_gold for f in REPORT_FIELDS}
    if n_category:
        fields["category"] = right["category"] / n_category
    return {"gold": n_gold, "pred": n_pred, "found": found, "fields": fields}


def report_lines(f: dict[str, Any]) -> list[str]:
    fields = "  ".join(f"{k} {v:.2f}" for k, v in f["fields"].items())
    return [f"reports    gold {f['gold']}  pred {f['pred']}  found {f['found']}  fields: {fields}"]


SECTIONS = (
    Section("mentions", score_mentions, mention_lines),
    Section("facts", score_facts, fact_lines),
    Section("indicators", score_indicators, indicator_lines),
    Section("reports", score_reports, report_lines),
)


def read_jsonl(path: str | Path) -> list[Record]:
    records = []
    try:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise InputError(str(path), errors.NOT_JSON.format(line=number, reason=exc)) from exc
    except FileNotFoundError as exc:
        raise InputError(str(path), errors.NOT_FOUND) from exc
    except UnicodeDecodeError as exc:
        raise InputError(str(path), errors.UNDECODABLE) from exc
    except OSError as exc:
        raise InputError(str(path), errors.UNREADABLE.format(reason=exc.strerror or exc)) from exc
    return records


def load_gold(gold_dir: str | Path) -> Grouped:
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise InputError(str(folder), errors.NOT_FOUND)
    paths = sorted(folder.glob("*.jsonl"))
    if not paths:
        raise InputError(str(folder), errors.NO_GOLD)
    gold = group(r for path in paths for r in read_jsonl(path))
    # A gold file of indicators or facts, even an empty one, says its document was annotated
    # for them: predictions there count, and each one is false where the file is empty.
    for path in paths:
        stem, _, kind = path.name[:-len(".jsonl")].rpartition(".")
        if kind in ("indicators", "facts"):
            gold[kind[:-1]].setdefault(f"{stem}.txt", [])
    return gold


def group(records: Iterable[Any], problems: list[str] | None = None) -> Grouped:
    """Records by kind and document; one without a known kind or doc is noted in `problems`."""
    grouped: Grouped = defaultdict(lambda: defaultdict(list))
    for r in records:
        if isinstance(r, dict) and r.get("kind") in KINDS and r.get("doc") is not None:
            grouped[r["kind"]][r["doc"]].append(r)
        elif problems is not None:
            problems.append(errors.UNKNOWN_RECORD.format(record=str(r)[:120]))
    return grouped


def offset_problems(gold_dir: Path, pred: Grouped, docs: list[str]) -> list[str]:
    """The first mention per document whose offsets do not hold its text, where the source is at hand."""
    problems = []
    for doc in docs:
        try:
            source = _source(gold_dir, doc)
        except InputError as exc:
            problems.append(str(exc))
            continue
        if source is None:
            continue
        for m in pred["mention"].get(doc, []):
            start, end = m.get("start"), m.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and source[start:end] == m.get("text")):
                problems.append(errors.BAD_OFFSETS.format(doc=doc, start=start, end=end, text=m.get("text")))
                break
    return problems


def _source(gold_dir: Path, doc: str) -> str | None:
    for folder in SOURCE_DIRS:
        path = gold_dir.parent / folder / doc
        if path.is_file():
            # decoded as extraction decodes it, so that offsets count the same characters
            return load_document(path).text
    return None


def score(gold_dir: str | Path, predictions: str | Path | Iterable[Record], docs: Iterable[str] | None = None,
          fact_units: Iterable[str] | None = None) -> dict:
    """Scores of `predictions` (a JSONL path or records) against the gold in `gold_dir`.

    The result holds `docs` (those scored), one entry per section (`mentions`) and
    `problems` (records that could not be scored, offsets that do not hold). With
    `fact_units` (e.g. 元, %, km, 百分点) only facts in those units are scored.
    """
    gold = load_gold(gold_dir)
    scored = {d for by_doc in gold.values() for d in by_doc}
    if docs:
        scored &= set(docs)
    doc_list = sorted(scored)
    problems: list[str] = []
    records = read_jsonl(predictions) if isinstance(predictions, (str, Path)) else predictions
    pred = group(records, problems)
    result: dict[str, Any] = {"docs": doc_list}
    for section in SECTIONS:
        scorer = partial(score_facts, units=fact_units) if section.score is score_facts else section.score
        result[section.name] = scorer(gold, pred, doc_list)
    result["problems"] = problems + offset_problems(Path(gold_dir), pred, doc_list)
    return result


def format_scores(result: dict) -> str:
    """The result as a plain-text table, one block per section, problems last."""
    lines = [f"documents scored: {len(result['docs'])}"]
    for section in SECTIONS:
        if result.get(section.name):
            lines += section.lines(result[section.name])
    problems = result["problems"]
    lines += [f"problem: {p}" for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        lines.append(f"… and {len(problems) - SHOWN_PROBLEMS} more problems")
    return "\n".join(lines)
