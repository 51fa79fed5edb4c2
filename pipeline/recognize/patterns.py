"""Compile models/patterns.yaml: named sub-patterns with `{Name}` holes, in the
manner of Recognizers-Text's typed YAML. Lexicons named under `lexicons:` become
alternations (longest first, escaped); those under `character_classes:` become a class
of the words' first characters. An unknown hole is an error, not a literal.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from operator import itemgetter
from typing import Any, Iterable, Iterator

import regex

from ..errors import ModelError
from ..resolve.units import unit_words
from ..resources import load_yaml, lookup
from .guard import Guarded, Twin, bounded_regex, characters, guarded

PATTERN_FILE = "patterns.yaml"
# regex's own {m,n} quantifiers start with a digit and \p{Han} follows \p, so neither is a hole.
_HOLE = regex.compile(r"(?<!\\[pP])\{([A-Za-z][A-Za-z0-9]*)\}")


def alternation(words: Iterable[Any]) -> str:
    """`[万元, 元]` -> `(?:万元|元)`, longest first so the longest unit wins."""
    items = sorted({str(w) for w in words}, key=lambda w: (-len(w), w))
    if not items:
        raise ModelError(PATTERN_FILE, "a lexicon is empty")
    return "(?:" + "|".join(regex.escape(w) for w in items) + ")"


def first_characters(words: Iterable[Any], skip: str) -> str:
    """`[万元, 个, 万]` with `skip` matching 万 -> `[个元]`: the character that follows each
    word's leading `skip` characters; a word made only of them adds none."""
    skipped = regex.compile(f"(?:{skip})*")
    chars = {word[skipped.match(word).end():][:1] for word in (str(w) for w in words)} - {""}
    if not chars:
        raise ModelError(PATTERN_FILE, "a character class is empty")
    return "[" + "".join(regex.escape(c) for c in sorted(chars)) + "]"


def lexicon_words(source: str | dict[str, str]) -> list[str]:
    """The words of a lexicon: `{units: LENGTH}` -> every way of writing a length unit
    (resolve/units.py), `{units: DURATION, strip: 个}` -> 月, 小时… (of 个月, 个小时…); a dotted name such as `units.hedges.before` -> that entry's words."""
    if isinstance(source, dict):  # `strip`: the words that start with it, without it (个月 -> 月)
        strip = source.get("strip", "")
        return [w[len(strip):] for w in unit_words(source["units"]) if w.startswith(strip) and w != strip]
    return [str(w) for w in lookup(source)]


@lru_cache(maxsize=1)
def references() -> dict[str, str]:
    spec = load_yaml(PATTERN_FILE)
    table: dict[str, str] = {}
    for name, source in (spec.get("lexicons") or {}).items():
        table[name] = alternation(lexicon_words(source))
    for name, body in (spec.get("references") or {}).items():
        if name in table:
            raise ModelError(PATTERN_FILE, f"reference {name!r} defined twice")
        table[name] = str(body)
    for name, built in (spec.get("character_classes") or {}).items():
        if name in table:
            raise ModelError(PATTERN_FILE, f"reference {name!r} defined twice")
        words = [word for source in built["words"] for word in lexicon_words(source)]
        table[name] = first_characters(words, expand("{" + built["skip"] + "}", table))
    return table


def expand(pattern: str, table: dict[str, str] | None = None, _depth: int = 0) -> str:
    table = references() if table is None else table
    if _depth > 20:
        raise ModelError(PATTERN_FILE, f"references nest too deep in {pattern!r}")

    def fill(match: "regex.Match[str]") -> str:
        name = match.group(1)
        if name not in table:
            raise ModelError(PATTERN_FILE, f"unknown reference {{{name}}}")
        return expand(table[name], table, _depth + 1)

    return _HOLE.sub(fill, pattern)


def compile_pattern(pattern: str) -> Guarded:
    try:
        return guarded(expand(pattern))
    except regex.error as exc:
        raise ModelError(PATTERN_FILE, f"pattern {pattern!r} does not compile: {exc}") from exc


@lru_cache(maxsize=1)
def compiled_patterns() -> dict[str, list[Guarded]]:
    """Mention type -> its compiled patterns, in file order."""
    spec = load_yaml(PATTERN_FILE).get("patterns") or {}
    return {label: [compile_pattern(p) for p in pats] for label, pats in spec.items()}


def reference_pattern(name: str) -> Guarded:
    return compile_pattern("{" + name + "}")


# What a quantity pattern reads behind its number (a comparator, a hedge), as lookbehinds
# of varying width, which `re` lacks. It matches at every position and consumes nothing, so a
# pattern matches where it matches without it: the scan leaves it out and reads it at each
# match's start.
BEHIND = "{OpPrefix}"
_GROUP = regex.compile(r"\(\?P<([A-Za-z_]\w*)>")


class ScanMatch:
    """A match of one quantity pattern (a `re` or `regex` match, the same groups), read by the
    names the pattern gives its groups: `span(name)`, `start(name)`, `end(name)` and `groups`
    ({name: text or None} for the pattern's names and those read behind it)."""

    __slots__ = ("match", "slots", "behind", "groups")

    def __init__(self, match: "re.Match[str] | regex.Match[str]", slots: "Slots", behind: "regex.Match[str] | None"):
        """`behind`: what was read behind the match, None where nothing was."""
        self.match, self.slots = match, slots
        groups = dict(zip(slots.single_names, slots.single_values(match.groups())))
        if slots.shared:
            found = match.groups()
            for name, indices in slots.shared:  # a name given to groups in two branches: the one taken
                groups[name] = next((found[index] for index in reversed(indices) if found[index] is not None), None)
        if behind is None:
            groups.update(slots.nothing_behind)
            behind = slots.empty_behind
        else:
            groups.update(zip(slots.behind, behind.groups()))
        self.behind = behind
        self.groups = groups

    def span(self, name: str | int = 0) -> tuple[int, int]:
        group = self.slots.group.get(name)
        if group is not None:
            return self.match.span(group)
        if name in self.slots.indices:
            for index in reversed(self.slots.indices[name]):
                if self.match.start(index + 1) >= 0:
                    return self.match.span(index + 1)
            return -1, -1
        return self.behind.span(name)

    def start(self, name: str | int = 0) -> int:
        return self.span(name)[0]

    def end(self, name: str | int = 0) -> int:
        return self.span(name)[1]


class Slots:
    """Where a pattern's named groups sit in the groups() of its match, by name (0-based):
    names of one group, names of several (`single`, `shared`), and the names read behind it;
    `group`: the group number of each name of one group. `single_values(groups())` gives the
    values of `single_names`; `nothing_behind` the behind names' values where nothing is read
    there, and `empty_behind` that empty reading's match."""

    __slots__ = ("indices", "single", "shared", "behind", "group", "single_names", "single_values",
                 "nothing_behind", "empty_behind")

    def __init__(self, compiled: "re.Pattern[str]", names: list[tuple[str, str]], behind: tuple[str, ...],
                 empty_behind: "regex.Match[str]"):
        self.indices: dict[str, tuple[int, ...]] = {}
        for name, unique in names:
            self.indices[name] = self.indices.get(name, ()) + (compiled.groupindex[unique] - 1,)
        self.single = tuple((name, found[0]) for name, found in self.indices.items() if len(found) == 1)
        self.shared = tuple((name, found) for name, found in self.indices.items() if len(found) > 1)
        self.behind = behind
        self.single_names = tuple(name for name, _index in self.single)
        # itemgetter of one index gives the value, not a 1-tuple: the tuple's own slice then
        indices = [index for _name, index in self.single]
        self.single_values = itemgetter(*indices) if len(indices) > 1 else (lambda found: found[indices[0]:indices[0] + 1])
        self.nothing_behind = dict(zip(behind, empty_behind.groups()))
        self.empty_behind = empty_behind
        # the group number to read a span by: the whole match's (0), a name of one group's
        self.group = {0: 0, **{name: index + 1 for name, index in self.single}}


def _unique_names(pattern: str, taken: dict[str, int]) -> tuple[str, list[tuple[str, str]]]:
    """`pattern` with each group name used before (in `taken`, counted there) made unique for
    `re`: num, num__2…; and [(name as written, unique name)] in order."""
    names: list[tuple[str, str]] = []

    def rename(match: "regex.Match[str]") -> str:
        name = match.group(1)
        taken[name] = taken.get(name, 0) + 1
        unique = name if taken[name] == 1 else f"{name}__{taken[name]}"
        names.append((name, unique))
        return f"(?P<{unique}>"

    return _GROUP.sub(rename, pattern), names


def _characters_read(pattern: str) -> frozenset[str] | None:
    """The characters a pattern of words and \\s reads: those written in it and whitespace;
    None where it may read others (a class by name, a negated class, a dot)."""
    written = pattern.replace(r"\s", "")
    if regex.search(r"\\[A-Za-z0-9]|\[\^|(?<!\\)\.", written):
        return None
    return frozenset(written) | characters(r"\s")


class QuantityScan:
    """The patterns of `labels` (models/patterns.yaml) as one scan over a text, on `re` (the
    faster) and, over lines too long to run without the time limit, on `regex`: each
    pattern an alternative, tried in the order given (at one position the first that matches
    wins). `finditer(text, …)` gives (label, ScanMatch); `matches(label, text, pos, …)` tries one
    label's patterns alone at `pos`."""

    def __init__(self, labels: tuple[str, ...]):
        spec = load_yaml(PATTERN_FILE).get("patterns") or {}
        patterns = [(label, pattern) for label in labels for pattern in spec[label]]
        # The start all alternatives share is tested once per position, not once per alternative.
        common = os.path.commonprefix([p for _label, p in patterns])
        common = common[:common.rfind("}") + 1] if "{" in common else ""
        if not common.endswith(BEHIND):
            raise ModelError(PATTERN_FILE, f"the patterns of {labels} do not all start with {{...}}{BEHIND}")
        start = expand(common[:-len(BEHIND)])
        # words and \s? behind the number, no repetition (checked): bounded, so no time limit
        self._behind = bounded_regex(expand(BEHIND))
        self._behind_ends = _characters_read(self._behind.pattern)
        self._nothing_behind = self._behind.match("")  # its empty alternative: no group taken
        behind_names = tuple(sorted(self._behind.groupindex, key=self._behind.groupindex.get))
        taken: dict[str, int] = {}
        alternatives, named, self._alone = [], [], {}
        for label, pattern in patterns:
            written = expand(pattern[len(common):])
            body, names = _unique_names(written, taken)
            alt = f"alt{len(alternatives)}"
            alternatives.append(f"(?P<{alt}>{body})")
            named.append((alt, label, names))
            alone_body, alone_names = _unique_names(written, {})
            try:
                alone = Twin(start + alone_body)
            except (ValueError, re.error, regex.error) as exc:
                raise ModelError(PATTERN_FILE, f"a pattern of {label} does not run on re: {exc}") from exc
            self._alone.setdefault(label, []).append(
                (alone, Slots(alone.fast, alone_names, behind_names, self._nothing_behind)))
        self._scan = Twin(start + "(?:" + "|".join(alternatives) + ")")
        # an alternative's group closes after all groups inside it: the match's lastindex names it
        self._by_alternative = {
            self._scan.fast.groupindex[alt]: (label, Slots(self._scan.fast, names, behind_names, self._nothing_behind))
            for alt, label, names in named}

    def finditer(self, text: str, wide: bool) -> Iterator[tuple[str, ScanMatch]]:
        """`wide`: whether `text` has a character beyond the BMP (guard.beyond_bmp)."""
        for match in self._scan.finditer_by_lines(text, wide):  # no quantity reads past a line break
            label, slots = self._by_alternative[match.lastindex]
            yield label, ScanMatch(match, slots, self._read_behind(text, match.start(), match.end()))

    def matches(self, label: str, text: str, pos: int, wide: bool) -> Iterator[ScanMatch]:
        """The match at `pos` of each of `label`'s patterns that matches there, in file order."""
        line_end = text.find("\n", pos) + 1 or len(text)
        for pattern, slots in self._alone[label]:
            match = pattern.match(text, pos, line_end, wide)
            if match:
                yield ScanMatch(match, slots, self._read_behind(text, pos, line_end))

    def _read_behind(self, text: str, pos: int, endpos: int) -> "regex.Match[str] | None":
        """What BEHIND reads before `pos`, None where nothing; only where the character
        before could end it."""
        if pos and (self._behind_ends is None or text[pos - 1] in self._behind_ends):
            behind = self._behind.match(text, pos, endpos)  # always matches, consuming nothing
            return None if behind.lastindex is None else behind
        return None


@lru_cache(maxsize=None)
def quantity_scan(labels: tuple[str, ...]) -> QuantityScan:
    return QuantityScan(labels)
