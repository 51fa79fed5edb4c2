"""Every error jixiao reports to a user, in one place, each naming the file and the problem.

A file name is shown as it is when it is plain, else quoted as Python quotes a
string (`shown`), so that a name holding a line break or an escape sequence
cannot forge a line of output; text from documents goes to a terminal without its
control characters (`terminal_safe`).
"""
from __future__ import annotations

import regex

# Escape sequences (CSI ... final byte, OSC ... BEL/ST, and two-character ESC x), then any other
# C0/C1 control character or bidirectional override, which can rewrite what a terminal shows.
_ESCAPES = regex.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?"
                         r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_PLAIN_NAME = regex.compile(r"[^\p{C}\p{Zl}\p{Zp}'\"\\]*")


def shown(path: object) -> str:
    """A file name for a message: as it is when plain, else quoted (repr) so that it stays on its line."""
    text = str(path)
    if _PLAIN_NAME.fullmatch(text) and text == text.strip():
        return text
    return repr(text)


def terminal_safe(text: str) -> str:
    """`text` without escape sequences and control characters (tabs and line breaks kept)."""
    return _ESCAPES.sub("", text) if _ESCAPES.search(text) else text


# The closing line names this many skipped paths (a link or a FIFO has had a line of its own before).
NAMED_SKIPPED = 5


def skipped_note(skipped: list[str]) -> str:
    """`, 3 skipped (a.jpg, b.zip, fifo)` for a batch's closing line, or nothing."""
    if not skipped:
        return ""
    names = ", ".join(shown(path.rsplit("/", 1)[-1]) for path in skipped[:NAMED_SKIPPED])
    return f", {len(skipped)} skipped ({names}{', …' if len(skipped) > NAMED_SKIPPED else ''})"


class JixiaoError(Exception):
    """Base class: a problem with an input or a data file that the user can act on."""


class InputError(JixiaoError):
    """An input document cannot be read or decoded."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{shown(path)}: {problem}")


class ModelError(JixiaoError):
    """A data file in models/ is missing or malformed."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"models/{path}: {problem}")


NOT_FOUND = "no such file or directory"
EMPTY = "the file is empty"
BINARY = "binary content (NUL bytes or control characters); not a text document"
UNDECODABLE = "cannot decode the text (tried UTF-8, UTF-16, GB18030 and detection)"
_READ = ".txt, .md, .pdf, .docx, .html, .htm, .xlsx, .xls, .doc or .wps"
UNSUPPORTED = "unsupported file type {suffix!r}; expected " + _READ
TOO_LARGE = "file is {size:,} bytes, over the limit of {limit:,} (raise it with --max-bytes)"
UNREADABLE = "cannot read the file: {reason}"
NO_DOCUMENTS = "no " + _READ + " files in this folder"
NO_TEXT_LAYER = "no text layer; OCR is not supported (a scanned PDF?)"
ENCRYPTED_PDF = "the PDF is encrypted; save an unprotected copy"
CORRUPT = "not a readable {kind} file: {reason}"
FAILED = "extraction failed: {reason}"
TIMED_OUT = "a pattern took over {seconds:g} s on this text (hostile or garbled input?)"
EXPANDS = "{part} would unpack to over {limit:,} bytes, past what --max-bytes allows (a compression bomb?)"
TEXT_TOO_LARGE = "its text runs to over {limit:,} characters, past what --max-bytes allows (huge table spans?)"
NEEDS_LIBREOFFICE = ("an old Word file ({suffix}) is read through LibreOffice, which is not installed "
                     "(apt-get install libreoffice-writer, or save it as .docx)")
CONVERSION_FAILED = "LibreOffice could not convert it to .docx: {reason}"
LINK_LOOP = "a symbolic link back into a folder already searched (a loop)"
DANGLING_LINK = "a symbolic link to nothing (dangling)"
NOT_REGULAR = "not a regular file (a FIFO, socket or device)"
UNREADABLE_FOLDER = "cannot read the folder: {reason}"
# The store (--db).
NOT_SQLITE = "not an SQLite file, so not a jixiao store; give --db a new file name"
NOT_JIXIAO = ("an SQLite database of another application (tables: {tables}), not a jixiao store; "
              "left unchanged; give --db a new file name")
STORE_NEWER = "a store of schema version {version}, newer than this jixiao reads ({known}); upgrade jixiao"
STORE_CANNOT_MIGRATE = "cannot bring this jixiao store (schema version {version}) up to date, left unchanged: {reason}"
STORE_READ_ONLY = "the store cannot be written (read-only file or folder): {reason}"
STORE_FULL = "the disk (or the store's size limit) is full; documents committed before stay stored: {reason}"
STORE_BUSY = "the store is locked by another process: {reason}"
STORE_CORRUPT = "the store is damaged: {reason}"
STORE_CANT_OPEN = "cannot open the store: {reason}"
STORE_FAILED = "the store failed: {reason}"
STORE_WAITING = "{path}: another jixiao is writing to this store; waiting for it to finish (up to {seconds:g} s)…"
STORE_WRITER_BUSY = "another jixiao is writing to this store and has not finished in {seconds:g} s; try again later"
WORKER_LOST = ("its worker process died twice while reading it ({reason}: killed by the system, out of memory?); "
               "the other documents go on")
DASK_RETRIES = ("note: {scheduler} sends a task whose worker died to up to {tries} workers in turn before jixiao "
                "tries its documents once more alone; start it with DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=0")
NOT_JSON = "line {line}: not JSON: {reason}"
NO_GOLD = "no gold files (*.jsonl) in this folder"
NO_DEFAULT_GOLD = "no gold folder given and corpus/gold not found here; pass --gold DIR"

# Problems found while scoring: reported beside the scores, they do not stop it.
UNKNOWN_RECORD = "record without a known kind/doc: {record}"
BAD_OFFSETS = "{doc}: offsets [{start},{end}) do not hold {text!r}"
NO_STORE = "{path}: no such store; create it with `jixiao ingest PATH… --db {path}`"
