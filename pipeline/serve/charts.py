"""Charts as SVG, rendered on the server (Vega-Lite through altair and vl-convert),
so that pages and HTML summaries need no script and no network."""
from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache

from ..summary import MONEY_SCALES
from .timeline import SERIES, SERIES_NAMES, TimelineRow

COLOURS = {"actual": "#2563eb", "plan": "#f59e0b", "cumulative": "#10b981"}


def _scale(rows: list[TimelineRow]) -> tuple[Decimal, str]:
    unit = rows[0].unit
    if unit == "元":
        largest = max(abs(v) for r in rows for v in (r.actual, r.plan, r.cumulative) if v is not None)
        for scale, name in MONEY_SCALES:
            if largest >= scale:
                return scale, name
    return Decimal(1), unit


def timeline_svg(rows: list[TimelineRow], title: str) -> str:
    """A bar per year and series (实际, 计划, 累计) of one type and unit; '' for no rows."""
    import altair as alt

    rows = [r for r in rows if any(v is not None for v in (r.actual, r.plan, r.cumulative))]
    if not rows:
        return ""
    scale, unit = _scale(rows)
    values = [{"年度": str(r.year), "口径": SERIES_NAMES[s], "值": float(Decimal(str(getattr(r, s))) / scale)}
              for r in rows for s in SERIES if getattr(r, s) is not None]
    names = [SERIES_NAMES[s] for s in SERIES]
    chart = alt.Chart(alt.Data(values=values), title=title).mark_bar().encode(
        x=alt.X("年度:N", title="年度", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("口径:N", sort=names),
        y=alt.Y("值:Q", title=unit),
        color=alt.Color("口径:N", sort=names, scale=alt.Scale(domain=names, range=[COLOURS[s] for s in SERIES]),
                        title=None),
        tooltip=["年度:N", "口径:N", alt.Tooltip("值:Q", format=",.2f")],
    ).properties(width=max(160, 90 * len({r.year for r in rows})), height=220)
    return _svg(json.dumps(chart.to_dict(), ensure_ascii=False, sort_keys=True))


@lru_cache(maxsize=256)
def _svg(spec: str) -> str:
    # the same data draws the same chart: a page seen again costs no rendering
    import vl_convert

    return vl_convert.vegalite_to_svg(json.loads(spec))


def warm_up() -> None:
    """Start vl-convert's JavaScript runtime and compile a timeline chart once (about a
    second, once per process), so that the first page that shows a chart is not slow."""
    timeline_svg([TimelineRow(2000, "MONEY", "元", 1.0, 2.0, 3.0, 1)], "")
