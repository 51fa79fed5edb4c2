"""Report structure: reports with their title block, money trail and section tree
(schema section 2), and performance-indicator tables (schema section 3).

    parse_reports(text, doc_id) -> list[Report]
    parse_indicators(text, doc_id, reports) -> list[Indicator]
    table_regions(reports) -> list[(start, end)]   # grid rows: indicator records, not narrative

Both give `.record()` dicts in the output schema, offsets into the original text.
"""
from .reports import Report, parse_reports
from .sections import Section, parse_sections
from .tables import Indicator, parse_indicators, parse_target, table_regions

__all__ = ["Indicator", "Report", "Section", "parse_indicators", "parse_reports", "parse_sections", "parse_target",
           "table_regions"]
