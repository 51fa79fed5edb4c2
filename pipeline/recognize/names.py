"""Recognise organisation (ORG) and project (PROJECT) names by rules over the
text, its jieba tokens and the mentions already found, with word lists from
models/names.yaml. No name of any one report is listed: an organisation is a
place or level, government function words and an organisational form
(张掖市 + 交通运输 + 局); a project is a route code with its name and section, a
facility, a named budget item (…工作经费, …控制规划, …建设项目) or a national programme.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import regex

from ..errors import ModelError
from ..resources import lookup
from ..segment import Tokens, pos_tagger
from .guard import Guarded, Pattern, bounded, for_re, guarded
from .mention import Mention
from .patterns import alternation

# Characters that end a name: punctuation, whitespace, quotes, brackets of titles.
_BOUNDARY = guarded(r"[\s\p{P}\p{S}&&[^()（）\-—]]|[\d%]", regex.V1)
MAX_PROJECT_CHARS = 45
MAX_FACILITY_CHARS = 16
MAX_COMPANY_NAME = 20


@lru_cache(maxsize=None)
def _is_boundary(char: str) -> bool:
    """(asked for every character of a project's tail: looked up once per character)"""
    return _BOUNDARY.match(char) is not None


@dataclass(frozen=True)
class NameRules:
    org_core: Pattern
    org_alone: Pattern
    company: Pattern
    levels: frozenset[str]
    level_chars: frozenset[str]
    place_endings: tuple[str, ...]
    not_places: frozenset[str]
    place_not_first: frozenset[str]
    not_before: frozenset[str]
    strong: tuple[str, ...]
    departmental: Pattern
    company_stop: Guarded
    programmes: Pattern
    road_ends: Pattern
    facility_ends: Pattern
    budget_ends: Pattern
    drop_xiangmu_before: tuple[str, ...]
    not_followed_by: tuple[str, ...]
    name_tails: tuple[str, ...]
    route_place_chars: int
    stop_tags: frozenset[str]
    name_words: frozenset[str]
    stop_words: frozenset[str]
    any_stop_word: Pattern
    longest_stop_word: int
    generic_parts: Pattern
    generic_whole: frozenset[str]


def _trie(words: list[str]) -> str:
    """`alternation(words)` as a tree of shared beginnings (交通(?:运输|警察)?…), which `re`
    tries at each position in a few steps instead of word by word. The words that match at
    one position begin one another, so both forms try them in the same order, longest
    first: every match, and every way back from it, is the same."""
    if not words:
        raise ModelError("names.yaml", "a word list is empty")
    tree: dict = {}
    for word in words:
        node = tree
        for char in str(word):
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def branches(node: dict) -> str:
        alts = [re.escape(char) + branches(node[char]) for char in sorted(node) if char]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{branches(tree)})"


@lru_cache(maxsize=1)
def rules() -> NameRules:
    org = lookup("names.org")
    project = lookup("names.project")
    functions = _trie(org["functions"] + org["generic_functions"])
    forms = _trie(org["strong"] + org["weak"])
    not_followed = alternation(org["form_not_followed_by"])
    levels = alternation(org["levels"])
    ends_all = lambda words: bounded(alternation(words))  # noqa: E731
    return NameRules(
        org_core=bounded(
            rf"(?P<body>{functions}(?:[和与]?{functions}){{0,6}})(?P<form>{forms})(?!{not_followed})"
        ),
        org_alone=bounded(
            rf"(?P<level>{levels})(?P<form>{alternation(org['level_alone'])})(?:办公厅|办公室|办)?(?!{not_followed})"
        ),
        company=bounded(alternation(org["company_forms"])),
        levels=frozenset(org["levels"]),
        level_chars=frozenset(w for w in org["levels"] if len(w) == 1),
        place_endings=tuple(org["place_endings"]),
        not_places=frozenset(org["not_places"]),
        place_not_first=frozenset(org["place_not_first"]),
        not_before=frozenset(org["not_before"]),
        strong=tuple(org["strong"]),
        departmental=bounded(alternation(org["functions"])),
        company_stop=guarded(rf".*(?:{alternation(org['company_not_in'])})"),
        programmes=ends_all(project["programmes"]),
        road_ends=ends_all(project["road_name_ends"]),
        facility_ends=ends_all(project["facility_ends"]),
        budget_ends=ends_all(project["budget_ends"]),
        drop_xiangmu_before=tuple(project["drop_xiangmu_before"]),
        not_followed_by=tuple(project["not_followed_by"]),
        name_tails=tuple(project["name_tails"]),
        route_place_chars=int(project["route_place_chars"]),
        stop_tags=frozenset(project["stop_tags"]),
        name_words=frozenset(project["name_words"]),
        stop_words=frozenset(project["stop_words"]),
        any_stop_word=bounded(alternation(project["stop_words"])),
        longest_stop_word=max(map(len, project["stop_words"])),
        generic_parts=bounded(alternation(project["generic_parts"])),
        generic_whole=frozenset(project["generic"]),
    )


def _is_place(word: str, r: NameRules) -> bool:
    """张掖市, 甘肃省 (a place ending) or 郑州 (a place in jieba's dictionary, tag ns);
    not 由市, 各县区 (a preposition or quantifier before a level)."""
    if len(word) < 2 or word[0] in r.place_not_first or word in r.not_places:
        return False
    return pos_tagger().word_tag_tab.get(word) == "ns" or word.endswith(r.place_endings)


def _extend_with_place(text: str, start: int, tokens: Tokens, r: NameRules) -> tuple[int, bool]:
    """Grow an organisation leftwards over places (甘肃省, 张掖市) or a bare level (市)."""
    s, prefixed = start, False
    for _ in range(3):
        t = tokens.ending_at(s)
        word = text[t:s] if t is not None else ""
        if word in r.levels or _is_place(word, r):
            s, prefixed = t, True
        elif not prefixed and s > 0 and text[s - 1] in r.level_chars:
            s, prefixed = s - 1, True
            break
        else:
            break
    return s, prefixed


def _is_reference(text: str, start: int, tokens: Tokens, r: NameRules) -> bool:
    """各县区交通运输局, 全市…局, 我局: a quantifier or pronoun before the name (or at the
    head of the word it starts in) makes a reference to bodies, not a name."""
    if start > 0 and text[start - 1] in r.not_before:
        return True
    word = tokens.containing(start)
    return word is not None and word[0] < start and text[word[0]] in r.not_before


def find_orgs(text: str, tokens: Tokens) -> list[Mention]:
    r = rules()
    found: list[Mention] = []
    core = [m for m in r.org_core.finditer(text) if r.departmental.search(m.group("body"))]
    tokens.prepare([m.start() for m in core])  # each asks for the word before it
    for m in core:
        s, prefixed = _extend_with_place(text, m.start(), tokens, r)
        if not prefixed and not m.group().endswith(r.strong):
            continue
        if _is_reference(text, s, tokens, r):
            continue
        found.append(Mention("ORG", s, m.end(), text[s:m.end()]))
    for m in r.org_alone.finditer(text):
        s = m.start()
        if s > 0 and text[s - 1] in r.not_before:
            continue
        if not tokens.starts_at(s):
            token = tokens.containing(s)  # 张掖市 + 委: the level ends a place inside a token
            if token is None or not _is_place(text[token[0]:s + 1], r):
                continue
            s = token[0]
        else:
            s, _ = _extend_with_place(text, s, tokens, r)
        found.append(Mention("ORG", s, m.end(), text[s:m.end()]))
    for m in r.company.finditer(text):
        left = m.start()
        while left > max(0, m.start() - MAX_COMPANY_NAME) and not _is_boundary(text[left - 1]):
            left -= 1
        stop = r.company_stop.match(text, left, m.start())
        if stop:
            left = stop.end()
        if m.start() - left < 2:
            continue
        found.append(Mention("ORG", left, m.end(), text[left:m.end()]))
    return found


def _name_start(text: str, end_word_start: int, limit: int, tokens: Tokens, blockers: list[int],
                r: NameRules) -> int:
    """Walk left word by word from a name's end word to where the name begins: at
    punctuation, a mention, a stop word or a word whose dictionary part-of-speech
    cannot stand inside a name (a verb other than those of works, a preposition…).
    Words jieba does not know (often the proper names themselves) are kept."""
    floor = max(0, end_word_start - limit)
    k = bisect_right(blockers, end_word_start) - 1  # blockers: sorted mention ends
    if k >= 0 and blockers[k] > floor:
        floor = blockers[k]
    s = end_word_start
    if s > floor and not tokens.starts_at(s):
        s = max(tokens.containing(s)[0], floor)  # the end word is the tail of a longer word (监管经费)
    # a boundary character before s is in the word ending there: no need to ask which word that is
    while s > floor and not _is_boundary(text[s - 1]):
        t = tokens.ending_at(s)
        if t is None or t < floor or _stops_name(text[t:s]):
            break
        s = t
    return s


@lru_cache(maxsize=65536)
def _stops_name(word: str) -> bool:
    """Whether a name cannot reach over `word`: a boundary, a stop word or a word whose
    part-of-speech cannot stand inside a name. (Asked for every word walked over: words
    repeat, so looked up once per word.)"""
    r = rules()
    if _BOUNDARY.search(word) is not None or word in r.stop_words:
        return True
    return pos_tagger().word_tag_tab.get(word, "x") in r.stop_tags and word not in r.name_words


_NUMBERING = guarded(r"[(（]?[一二三四五六七八九十\d]{1,3}[)）、.]|[()（）]+")
_NUMBERING_FIRST = guarded(r"[(（一二三四五六七八九十\d)）]")  # the characters a _NUMBERING match begins with
_HAN = guarded(r"\p{Han}")
# `至` between two names joins a route: 张掖至肃南
# (on re, 至 first: the scan jumps from one 至 to the next)
_ROUTE_TO = re.compile(for_re(r"至(?<=\p{Han}至)(?=\p{Han})"))


def _is_budget_name(part: str, end_word: str, r: NameRules) -> bool:
    """`交通运输行业` + `工作经费` is a name; `公用` + `经费` and `同类` + `项目` are not:
    a qualified fund (…工作经费) or works (…提质改造工程) may be named with generic words alone."""
    if _non_generic(part, r):
        return True
    qualified = (end_word.endswith("经费") and end_word != "经费") or end_word.endswith(r.name_tails)
    return len(part) >= 4 and qualified


def _non_generic(part: str, r: NameRules) -> bool:
    if len(part) < 2:
        return False
    rest = r.generic_parts.sub("", part)
    return len(rest) >= 2 and sum(map(_is_han, rest)) >= 2


@lru_cache(maxsize=None)
def _is_han(char: str) -> bool:
    """(counted over every name's own part: looked up once per character)"""
    return _HAN.match(char) is not None


def _strip_numbering(text: str, s: int, end: int) -> int:
    if s >= end or not _may_open_numbering(text[s]):
        return s
    m = _NUMBERING.match(text, s, end)
    return m.end() if m else s


@lru_cache(maxsize=None)
def _may_open_numbering(char: str) -> bool:
    """Whether `char` may begin a _NUMBERING match (asked for every name: looked up once
    per character, most names needing no pattern run)."""
    return _NUMBERING_FIRST.match(char) is not None


def _in_title_quotes(text: str, pos: int) -> bool:
    """Inside 《…》 on the same line: a document title, not a mention of a project."""
    line_start = text.rfind("\n", 0, pos) + 1
    return text.rfind("《", line_start, pos) > text.rfind("》", line_start, pos)


def _section_project(text: str, start: int, scan_from: int, tokens: Tokens, r: NameRules) -> Mention | None:
    """A route's project: from `start` to the last road-name end word (段, 公路, 工程…)
    after `scan_from`, before punctuation, a digit or a stop word."""
    pos = scan_from
    while pos < len(text) and text[pos] in " 线":
        pos += 1
    limit = min(len(text), pos + MAX_PROJECT_CHARS)
    boundary = _BOUNDARY.search(text, pos, limit)
    stop = boundary.start() if boundary else limit
    last = _last_match(r.road_ends, text, pos, stop)
    if last is not None and last.end() > pos and _stop_word_before(text, pos, stop, last.end(), r):
        for ts, te in tokens.within(pos, stop):
            if text[ts:te] in r.stop_words and ts > pos:
                last = _last_match(r.road_ends, text, pos, ts)  # the name stops before the word
                break
    if last is None or last.end() <= pos:
        return None
    return Mention("PROJECT", start, last.end(), text[start:last.end()])


def _last_match(pattern: Pattern, text: str, pos: int, endpos: int) -> re.Match[str] | None:
    last = None
    for last in pattern.finditer(text, pos, endpos):
        pass
    return last


def _stop_word_before(text: str, pos: int, stop: int, end: int, r: NameRules) -> bool:
    """Whether a stop word is written in text[pos:stop] and one starts after `pos`, before
    `end`. Only then are the words asked for (most names need none cut), and only a word cut
    before the last end word changes it: the end words found before a later cut are the same."""
    if not r.any_stop_word.search(text, pos, stop):
        return False
    written = r.any_stop_word.search(text, pos + 1, end + r.longest_stop_word - 1)
    return written is not None and written.start() < end


def _route_word_projects(text: str, routes: list[re.Match[str]], tokens: Tokens, blockers: list[int],
                         r: NameRules) -> list[Mention]:
    """Routes named by their ends without a code (`routes`: the _ROUTE_TO matches): 南充至广安高速公路扩容工程."""
    found = []
    for m in routes:
        start = _name_start(text, m.start(), r.route_place_chars, tokens, blockers, r)
        if m.start() - start < 2:
            continue
        project = _section_project(text, start, m.end(), tokens, r)
        if project and project.end - m.end() >= 2:
            found.append(project)
    return found


def find_projects(text: str, tokens: Tokens, mentions: list[Mention]) -> list[Mention]:
    r = rules()
    found: list[Mention] = []
    for m in r.programmes.finditer(text):
        found.append(Mention("PROJECT", m.start(), m.end(), m.group()))
    for road in (m for m in mentions if m.type == "ROAD"):
        project = _section_project(text, road.start, road.end, tokens, r)
        if project:
            found.append(project)
    blockers = sorted(m.end for m in mentions if m.type in ("DATE", "ORG", "MONEY", "COUNT", "ROAD", "DOCNO"))
    routes = list(_ROUTE_TO.finditer(text))
    facilities = list(r.facility_ends.finditer(text))
    budgets = [m for m in r.budget_ends.finditer(text) if not text.startswith(r.not_followed_by, m.end())]
    # each name is read leftwards from its end word: the words there, segmented at once
    tokens.prepare([m.start() for m in routes] + [m.start() for m in facilities] + [m.start() for m in budgets])
    found += _route_word_projects(text, routes, tokens, blockers, r)
    for m in facilities:
        s = _strip_numbering(text, _name_start(text, m.start(), MAX_FACILITY_CHARS, tokens, blockers, r), m.start())
        if _non_generic(text[s:m.start()], r) and not _in_title_quotes(text, s):
            found.append(Mention("PROJECT", s, m.end(), text[s:m.end()]))
    for m in budgets:
        start, end = m.span()
        s = _name_start(text, start, MAX_PROJECT_CHARS, tokens, blockers, r)
        if start - s < 2:
            continue  # (most end words: a part this short is no budget name, whatever follows the word)
        word = m.group()
        if word.endswith("项目") and (text.startswith(r.drop_xiangmu_before, end) or (
                word == "项目" and r.budget_ends.search(text, max(0, start - 4), start))):
            end -= 2
        tail = next((t for t in r.name_tails if text.startswith(t, end)), "") if end == m.end() else ""
        end += len(tail)
        s = _strip_numbering(text, s, start)
        name = text[s:end]
        if end <= s or name in r.generic_whole or not _is_budget_name(text[s:start], word + tail, r):
            continue
        if end < m.end() and len(name) < 4:  # 现将(项目支出): too short to name a project without 项目
            continue
        if _in_title_quotes(text, s):
            continue
        found.append(Mention("PROJECT", s, end, name))
    return found
