"""HTML (.html, .htm) with the standard library's parser: the text of the page,
a line per block element, each <table> row a tab-separated line; scripts,
styles and the head are left out. The bytes are decoded as a text file is."""
from __future__ import annotations

from html.parser import HTMLParser

from . import text
from .cells import table_row

# Elements that end a line of text.
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
           "header", "footer", "blockquote", "pre", "hr", "title", "dt", "dd", "table", "caption"}
_SKIPPED = {"script", "style", "head", "template", "noscript"}


def read(data: bytes, name: str) -> tuple[str, str]:
    markup, encoding = text.read(data, name)
    parser = _PageText()
    parser.feed(markup)
    parser.close()
    return parser.text(), f"html/{encoding}"


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.skipping = 0
        self.rows: list[list[list[str]]] = []  # per open table: the cells of the current row
        self.cell: list[str] | None = None
        self.span = 1  # columns the open cell spans

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "table":
            self._end_line()
            self.rows.append([])
        elif tag == "tr" and self.rows:
            self.rows[-1] = []
        elif tag in ("td", "th") and self.rows:
            self.cell = []
            self.rows[-1].append(self.cell)
            span = dict(attrs).get("colspan") or "1"
            self.span = int(span) if span.isdigit() else 1
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")
        elif tag in _BLOCKS:
            self._end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("td", "th") and self.rows:
            # a cell spanning columns is followed by empty ones, so that the row lines up with the header
            self.rows[-1].extend([] for _ in range(self.span - 1))
            self.cell, self.span = None, 1
        elif tag == "tr" and self.rows:
            self.lines.append(table_row("".join(c) for c in self.rows[-1]))
            self.rows[-1] = []
        elif tag == "table" and self.rows:
            self.rows.pop()
            self.cell = None
        elif tag in _BLOCKS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif not self.rows:
            self.line.append(data)

    def _end_line(self) -> None:
        line = " ".join("".join(self.line).split()) if self.line else ""
        if line:
            self.lines.append(line)
        self.line = []

    def text(self) -> str:
        self._end_line()
        return "\n".join(self.lines)
