"""Every error jixiao reports to a user, in one place, each naming the file and the problem."""
from __future__ import annotations


class JixiaoError(Exception):
    """Base class: a problem with an input or a data file that the user can act on."""


class InputError(JixiaoError):
    """An input document cannot be read or decoded."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


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
NOT_JSON = "line {line}: not JSON: {reason}"
NO_GOLD = "no gold files (*.jsonl) in this folder"
NO_DEFAULT_GOLD = "no gold folder given and corpus/gold not found here; pass --gold DIR"

# Problems found while scoring: reported beside the scores, they do not stop it.
UNKNOWN_RECORD = "record without a known kind/doc: {record}"
BAD_OFFSETS = "{doc}: offsets [{start},{end}) do not hold {text!r}"
NO_STORE = "{path}: no such store; create it with `jixiao ingest PATH… --db {path}`"
