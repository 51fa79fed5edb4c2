"""HTML (.html, .htm) through lxml (libxml2's HTML parser, linear on any markup,
however malformed or deeply nested): the text of the page, a line per block
element, each <table> row a tab-separated line; scripts, styles and the head are
left out. The bytes are decoded as a text file is."""
from __future__ import annotations

from lxml import etree

from . import text
from .cells import spanned_row
from .limits import DEFAULT_MAX_BYTES, TextBudget, span

# Elements that end a line of text.
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
           "header", "footer", "blockquote", "pre", "hr", "title", "dt", "dd", "table", "caption"}
_SKIPPED = {"script", "style", "head", "template", "noscript"}


def read(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    markup, encoding = text.read(data, name)
    page = _PageText(TextBudget(name, max_bytes))
    # decoded here as text files are; lxml gets UTF-8 and is told so (a <meta charset> cannot override it)
    parser = etree.HTMLParser(encoding="utf-8", recover=True, no_network=True, remove_comments=True, remove_pis=True)
    root = etree.fromstring(markup.encode("utf-8", "surrogatepass"), parser)
    if root is not None:
        for event, element in etree.iterwalk(root, events=("start", "end")):
            tag = element.tag.lower() if isinstance(element.tag, str) else ""
            if event == "start":
                page.start(tag, element)
                page.data(element.text)
            else:
                page.end(tag)
                page.data(element.tail)
    return page.text(), f"html/{encoding}"


class _PageText:
    def __init__(self, budget: TextBudget) -> None:
        self.budget = budget
        self.lines: list[str] = []
        self.line: list[str] = []
        self.skipping = 0
        self.rows: list[list[tuple[list[str], int]]] = []  # per open table: (text parts, span) of the row's cells
        self.cell: list[str] | None = None

    def start(self, tag: str, element) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "table":
            self._end_line()
            self.rows.append([])
        elif tag == "tr" and self.rows:
            self.rows[-1] = []
        elif tag in ("td", "th") and self.rows:
            self.cell = []
            columns = span(element.get("colspan"))
            self.budget.add(columns - 1)  # the empty columns after it, counted before the row is made
            self.rows[-1].append((self.cell, columns))
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")
        elif tag in _BLOCKS:
            self._end_line()

    def end(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("td", "th") and self.rows:
            self.cell = None
        elif tag == "tr" and self.rows:
            counted = sum(n - 1 for _c, n in self.rows[-1])
            self.lines.append(self.budget.take(spanned_row(("".join(c), n) for c, n in self.rows[-1]), counted))
            self.rows[-1] = []
        elif tag == "table" and self.rows:
            self.rows.pop()
            self.cell = None
        elif tag in _BLOCKS:
            self._end_line()

    def data(self, data: str | None) -> None:
        if self.skipping or not data:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif not self.rows:
            self.line.append(data)

    def _end_line(self) -> None:
        line = " ".join("".join(self.line).split()) if self.line else ""
        if line:
            self.lines.append(self.budget.take(line))
        self.line = []

    def text(self) -> str:
        self._end_line()
        return "\n".join(self.lines)
