"""The mention record shared by every recogniser."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

MENTION_TYPES = ("MONEY", "PERCENT", "LENGTH", "ROAD", "PROJECT", "ORG", "DATE", "COUNT", "DURATION", "DOCNO")
NAME_TYPES = ("ORG", "PROJECT")


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
    extra: dict[str, Any] = field(default_factory=dict)

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
        rec.update(self.extra)
        return rec


def json_value(value: Decimal | str | None) -> int | float | str | None:
    """Decimals leave as int when whole, float otherwise: floats only at the JSON edge."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
