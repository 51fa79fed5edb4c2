"""Projects and roads across reports: one entity per project or road.

A project's key is its name folded: Simplified script, no whitespace, ASCII brackets,
its route (G569, 国道209线) and a generic 项目 head taken off, so `G569武仙公路肃南段`
and `武仙公路肃南段` are one project, on the road G569. A road's key is its route
code (`国道209线` -> G209). Every way a name was written is kept as an alias, folded
the same way, so a lookup by any of them (or by the code) finds the entity.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .normalize import fold_width
from .recognize.patterns import compiled_patterns
from .resolve.references import road_from_match
from .script import simplified

_WHITESPACE = regex.compile(r"\s+")
_LEFT_OVER = regex.compile(r"^[线、,，\s]+|[、,，\s]+$")
# A programme or fund name ends in a generic head that names no project of its own.
_GENERIC_HEAD = ("项目",)
_ROUTE_CLASSES = ("国道", "省道", "县道", "乡道", "村道")
# A place name opening an organisation or a title: up to eight characters and an administrative level.
_PLACE = regex.compile(r"\p{Han}{1,8}?(?:自治州|自治县|自治区|省|市|县|区|州|旗|盟)(?=\d|\p{Han})")
MIN_KEY = 2  # characters a project's key keeps, else the name was only its route


@dataclass(frozen=True)
class Entity:
    kind: str  # "project" or "road"
    key: str  # the folded name (project) or the route code (road)
    name: str  # as first written
    road: str | None  # the route code, for a project on one route


def fold(text: str) -> str:
    """A name as entities compare it: Simplified, half-width, no whitespace, ASCII brackets, upper case."""
    folded = fold_width(simplified(text)).replace("（", "(").replace("）", ")")
    return _WHITESPACE.sub("", folded).upper()


def routes_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of every route named in a folded text, in order."""
    found: dict[tuple[int, int], str] = {}
    for pattern in compiled_patterns()["ROAD"]:
        for match in pattern.finditer(text):
            road = road_from_match(match)
            if road and not any(s <= match.start() < e for s, e in found):
                found[match.span()] = road.code
    return sorted((s, e, code) for (s, e), code in found.items())


@lru_cache(maxsize=8192)
def project_key(name: str) -> str:
    """`G569 武仙公路肃南段` -> `武仙公路肃南段`; `国道208线石梁至白沙段改建工程` -> `石梁至白沙段改建工程`."""
    folded = fold(name)
    routes = routes_in(folded)
    if len({code for _s, _e, code in routes}) > 1:
        return folded  # a works programme on two routes is named whole
    pieces, pos = [], 0
    for start, end, _code in routes:
        if folded[max(pos, start - 2):start] in _ROUTE_CLASSES:
            start -= 2  # 县道X012线: the class written before the code goes with it
        if folded.startswith("线", end):
            end += 1
        pieces.append(folded[pos:start])
        pos = end
    pieces.append(folded[pos:])
    key = _LEFT_OVER.sub("", "".join(pieces))
    for head in _GENERIC_HEAD:
        if key.endswith(head) and len(key) - len(head) >= MIN_KEY:
            key = key[:-len(head)]
    return key


def road_code(text: str) -> str | None:
    """The route a text is, or names first: `G569`, `国道209线` -> G209; None if it names none."""
    routes = routes_in(fold(text))
    return routes[0][2] if routes else None


def place_of(name: str | None) -> str | None:
    """The place an organisation or a title starts with (河口县交通运输局 -> 河口县), else None."""
    m = _PLACE.match(fold(name)) if name else None
    return m.group() if m else None


def entity_of(subject: str, road: str | None, is_project: bool, place: str | None = None) -> Entity | None:
    """The entity a fact is about: the project its subject names (a project mention, the
    report's project, or any subject on a route), else the road when the subject is only
    a route, else None (a programme or a measure: 交通固定资产投资, 公路客运量). A project
    on no route is one only within its place (`place`, its report's county or city):
    河口县's and 柳城县's 农村公路养护工程 are two."""
    if is_project or road:
        key = project_key(subject)
        if len(key) >= MIN_KEY:
            if place and not road and not routes_in(fold(subject)) and place not in key:
                key = place + key
            return Entity("project", key, subject, road)
    if road:
        return Entity("road", road, road, road)
    return None


def aliases(name: str) -> set[str]:
    """Every folded form a lookup may use for a name: itself, without its route, its routes' codes."""
    folded = fold(name)
    out = {folded, project_key(name)}
    out.update(code for _s, _e, code in routes_in(folded))
    return {a for a in out if a}
