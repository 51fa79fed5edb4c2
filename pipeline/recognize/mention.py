"""The mention record shared by every recogniser."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# The one list of mention types (shared/spec/schema.md section 1). Every other list of
# types (quantities, names, the order among overlapping spans) is drawn from here.
MENTION_TYPES = ("MONEY", "PERCENT", "LENGTH", "ROAD", "PROJECT", "ORG", "DATE", "COUNT", "DURATION", "DOCNO")
# Types with a number and a unit, in the order the quantity scan tries them at one position.
QUANTITY_TYPES = ("MONEY", "PERCENT", "LENGTH", "DURATION", "COUNT")
NAME_TYPES = ("ORG", "PROJECT")
# Among overlapping spans of the same length, the type listed first wins.
PRIORITY_ORDER = ("DOCNO", "DATE", *QUANTITY_TYPES, "ROAD", *NAME_TYPES)
# Fields of contract v2 every mention record carries (null where they do not apply):
# the hedge as written, and the two ends of a range (whose `value` is null).
V2_FIELDS = ("hedge", "low", "high")


@dataclass(slots=True)
class Mention:
    """A typed span with its resolved value. Offsets index the text it was found in."""

    type: str
    start: int
    end: int
    text: str
    value: Decimal | str | None = None
    unit: str | None = None
    op: str | None = None
    # hedge/low/high (V2_FIELDS) and fields a recogniser adds beyond the schema; a key
    # starting with "_" is internal (the hedge's span) and never leaves in a record
    extra: dict[str, Any] = field(default_factory=dict)

    def shifted(self, offset: int) -> "Mention":
        """The same mention with its offsets (the hedge's span too) `offset` further on:
        found in a chunk, placed in the whole text."""
        extra = self.extra
        if "_hedge_span" in extra:
            start, end = extra["_hedge_span"]
            extra = {**extra, "_hedge_span": (start + offset, end + offset)}
        return Mention(self.type, self.start + offset, self.end + offset, self.text, self.value, self.unit, self.op,
                       extra)

    def record(self, doc: str) -> dict[str, Any]:
        """The schema's mention record (shared/spec/schema.md section 1)."""
        rec = {
            "kind": "mention",
            "doc": doc,
            "type": self.type,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": json_value(self.value),
            "unit": self.unit,
            "op": self.op,
        }
        rec.update(dict.fromkeys(V2_FIELDS))
        for key, value in self.extra.items():
            if not key.startswith("_"):
                rec[key] = json_value(value) if key in ("low", "high") else value
        return rec


def json_value(value: Decimal | str | None) -> int | float | str | None:
    """Decimals leave as int when whole, float otherwise: floats only at the JSON edge."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
