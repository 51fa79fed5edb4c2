"""What the full-text indexes hold, and how a query is read against them.

Chinese has no spaces, and users search for any part of a name (`肃南` in
武仙公路肃南段, `元白` in 元白二级公路), so the indexes are of character bigrams,
as Lucene's CJK analyser indexes them, rather than of dictionary words:

    index_text("G569武仙公路")  ->  "g5 56 69 9武 武仙 仙公 公路 路"

Each run of letters and digits becomes its overlapping bigrams, then its last
character alone. A query word of two or more characters is the FTS5 phrase of
its bigrams (consecutive tokens, so exactly the texts that contain the word);
a single character is the prefix query `c*` (bigrams that start with it, and the
last character of a run). Unlike FTS5's trigram tokenizer this finds two-character
words, the commonest length of a Chinese word.

Both sides are folded the same way: full-width forms to ASCII, case, and
Traditional script to Simplified (OpenCC, pipeline/script.py), so `養護` finds
养护. Route codes are added beside the route written in words (`省道215` indexes
S215 too, by the road resolver of pipeline/resolve/references.py), and a query
word that is a route in words searches for its code, so `省道215` and `S215` find
the same texts.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any, Iterable

import regex

from .normalize import fold_width
from .recognize.patterns import compiled_patterns
from .resolve.references import resolve_road, road_from_match
from .script import simplified

_RUN = regex.compile(r"[\p{L}\p{N}]+")


def _fold(text: str) -> str:
    return simplified(fold_width(text)).casefold()


def _grams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


def road_codes(text: str) -> list[str]:
    """The route codes of every route named in `text` (`省道215` -> S215), in order."""
    folded = fold_width(text)
    found = []
    for pattern in compiled_patterns()["ROAD"]:
        for match in pattern.finditer(folded):
            road = road_from_match(match)
            if road is not None:
                found.append((match.start(), road.code))
    return list(dict.fromkeys(code for _start, code in sorted(found)))


def index_text(*parts: str | None) -> str:
    """The bigram tokens of `parts` (and of the route codes they name), space-separated,
    for a column of an FTS5 table with the unicode61 tokenizer."""
    texts = [p for p in parts if p]
    codes = [c for text in texts for c in road_codes(text)]
    tokens: list[str] = []
    for text in texts + codes:
        for run in _RUN.findall(_fold(text)):
            tokens += _grams(run)
    return " ".join(tokens)


def _phrase(word: str) -> list[str]:
    """FTS5 expressions, one per run of `word`, that all match where `word` occurs."""
    out = []
    for run in _RUN.findall(_fold(word)):
        if len(run) == 1:
            out.append(f'"{run}"*')
        else:
            out.append('"' + " ".join(_grams(run)[:-1]) + '"')
    return out


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression requiring every word of `query` (AND), or None when the
    query has no letters or digits. User text never becomes query syntax: each token
    is quoted, and tokens hold only letters and digits."""
    terms: list[str] = []
    for word in query.split():
        road = resolve_road(word)
        terms += _phrase(road.code if road else word)
    return " AND ".join(dict.fromkeys(terms)) or None


def own_hits(query: str, *fields: str | None) -> int:
    """How many words of `query` occur in `fields` themselves (a fact's subject, predicate,
    route), to order the facts of one sentence, which share its rank."""
    text = _fold(" ".join(f for f in fields if f))
    words = []
    for word in query.split():
        road = resolve_road(word)
        words.append(_RUN.findall(_fold(road.code if road else word)))
    return sum(1 for runs in words if runs and all(run in text for run in runs))


def fact_text(fact: dict[str, Any]) -> str:
    """A fact's own fields (its sentence is indexed once for all its facts: sentence_index_text)."""
    return index_text(fact.get("subject"), fact.get("road"), fact.get("predicate"), fact.get("org"))


@lru_cache(maxsize=1024)
def sentence_text(sentence: str | None) -> str:
    # the facts of one sentence share it: fold it once
    return index_text(sentence)


def sentence_index_text(facts: list[dict[str, Any]]) -> str:
    """The index row of facts that share one sentence: the sentence, then each distinct
    set of fields (subject, road, predicate, organisation) once."""
    fields = dict.fromkeys(f.get("fts") or fact_text(f) for f in facts)
    sentence = facts[0].get("fts_sentence") or sentence_text(facts[0].get("sentence"))
    return " ".join(filter(None, [sentence, *fields]))


def finding_text(finding: dict[str, Any]) -> str:
    return index_text(finding.get("rule", "").replace("-", " "), finding.get("zh"), finding.get("en"),
                      finding.get("text"))


def indicator_text(indicator: dict[str, Any]) -> str:
    return index_text(*(_str(indicator.get(k)) for k in ("level1", "level2", "name", "target", "actual", "reason")))


def report_text(report: dict[str, Any]) -> str:
    return index_text(*(_str(report.get(k)) for k in ("title", "org", "project", "category")))


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def tag(field: str, value: Any, count: int | None = None) -> str:
    """A filter value as one token of the `tags` column: y2023; with `count`, the token
    that says at least `count` facts of the row have the value: tmoneyx1, rg569x2."""
    token = field + "".join(_RUN.findall(str(value))).casefold()
    return token if count is None else f"{token}x{count}"


def fact_tags(facts: list[dict[str, Any]]) -> str:
    """The `tags` of a row of facts: its year (every fact of a row has the same), and for
    each type and route the tokens x1 … xk for its k facts, so that the facts of a type
    among the rows that match are counted in the index (the sum over i of the rows with xi)."""
    tags = [tag("y", f["year"]) for f in facts if f.get("year") is not None]
    for field, key in (("t", "type"), ("r", "road")):
        counts = Counter(f[key] for f in facts if f.get(key) not in (None, ""))
        tags += [tag(field, value, i) for value, k in counts.items() for i in range(1, k + 1)]
    return " ".join(dict.fromkeys(tags))


# The index text of a row of each searchable table, and of each kind of record.
INDEX_TEXT = {"facts": fact_text, "findings": finding_text, "indicators": indicator_text, "reports": report_text}
TABLE_OF_KIND = {"fact": "facts", "finding": "findings", "indicator": "indicators", "report": "reports"}


def add_index_text(records: Iterable[dict[str, Any]]) -> None:
    """Put each record's index text in record["fts"], so that workers, not the one
    writer, do the work (the store falls back to computing it)."""
    for record in records:
        text = INDEX_TEXT.get(TABLE_OF_KIND.get(record["kind"], ""))
        if text is not None:
            record["fts"] = text(record)
        if record["kind"] == "fact":
            record["fts_sentence"] = sentence_text(record.get("sentence"))
