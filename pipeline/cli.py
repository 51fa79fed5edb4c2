"""The `jixiao` command, a thin layer over the library API.

    jixiao extract PATH… [--kinds mention,report,indicator] [--format jsonl|csv] [-o FILE] [--max-bytes N] [--strict]
    jixiao tables PATH… [-o FILE.xlsx|FILE.csv]
    jixiao eval [--gold DIR] PRED.jsonl
    jixiao eval [--gold DIR] --extract PATH…

Records go to stdout (or -o FILE); errors, the progress bar and the closing
`N documents, M failed` go to stderr. A bad input file is reported on one line and
the batch goes on; the exit status is 1 if any input failed.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator, Sequence

from tqdm import tqdm

from . import __version__, errors
from .errors import InputError, JixiaoError
from .evaluate import format_scores, score
from .extract import DocumentResult, extract_paths
from .load import DEFAULT_MAX_BYTES, expand_paths, load_document
from .recognize.mention import Mention
from .structure.export import STRUCTURE_KINDS, indicator_rows, structure_records, write_table

FORMATS = ("jsonl", "csv")
KINDS = ("mention", *STRUCTURE_KINDS)
DEFAULT_GOLD = Path("corpus/gold")
# Up to this many files a progress bar is more noise than help.
FEW_FILES = 3
# The schema's fields in the order Mention.record writes them: the CSV header even when nothing was found.
MENTION_FIELDS = tuple(Mention("", 0, 0, "").record(""))


@dataclass
class Tally:
    documents: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.documents} documents, {self.failed} failed"


def _inputs(paths: Sequence[str]) -> list[Path | InputError]:
    """Every file to read, in order, with an error in place of a path that gives none."""
    items: list[Path | InputError] = []
    for raw in paths:
        found = list(expand_paths([raw]))
        if not found:
            found = [InputError(raw, errors.NO_DOCUMENTS)]
        items += found
    return items


def _results(items: list[Path | InputError], max_bytes: int) -> Iterator[DocumentResult]:
    for item in items:
        if isinstance(item, InputError):
            yield DocumentResult(item.path, Path(item.path).name, error=item)
        else:
            yield from extract_paths([item], max_bytes)


def extract_batch(paths: Sequence[str], max_bytes: int, strict: bool, tally: Tally) -> Iterator[DocumentResult]:
    """The documents that were extracted, in order. Each failure is told on stderr as
    it happens and counted in `tally`; `strict` ends the batch at the first."""
    items = _inputs(paths)
    show_bar = sys.stderr.isatty() and len(items) > FEW_FILES
    with tqdm(_results(items, max_bytes), total=len(items), unit="doc", file=sys.stderr,
              disable=not show_bar) as results:
        for result in results:
            tally.documents += 1
            if result.error is None:
                yield result
                continue
            tally.failed += 1
            tqdm.write(f"error: {result.error}", file=sys.stderr)
            if strict:
                return


@dataclass
class Selected:
    """A document's records of the chosen kinds: its mentions, then its reports and indicators."""

    result: DocumentResult
    kinds: tuple[str, ...]
    max_bytes: int

    def records(self) -> list[dict]:
        out = self.result.records() if "mention" in self.kinds else []
        if set(self.kinds) & set(STRUCTURE_KINDS):
            text = load_document(self.result.path, self.max_bytes).text
            out += structure_records(text, self.result.doc_id, self.kinds)
        return out


def write_jsonl(results: Iterable[DocumentResult | Selected], out: IO[str]) -> None:
    for result in results:
        for record in result.records():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_csv(results: Iterable[DocumentResult | Selected], out: IO[str]) -> None:
    rows = [record for result in results for record in result.records()]
    fields = dict.fromkeys(MENTION_FIELDS)
    for row in rows:  # fields a recogniser adds beyond the schema follow the schema's own
        fields.update(dict.fromkeys(row))
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


WRITERS = {"jsonl": write_jsonl, "csv": write_csv}


@contextmanager
def _output(path: str | None, fmt: str) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A BOM lets Excel, where most CSV files end up, open them as UTF-8.
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with open(target, "w", encoding=encoding, newline="") as out:
        yield out


def run_extract(args: argparse.Namespace) -> int:
    tally = Tally()
    with _output(args.output, args.format) as out:
        results = extract_batch(args.paths, args.max_bytes, args.strict, tally)
        WRITERS[args.format]((Selected(r, args.kinds, args.max_bytes) for r in results), out)
    print(tally, file=sys.stderr)
    return 1 if tally.failed else 0


def run_tables(args: argparse.Namespace) -> int:
    tally = Tally()
    rows = []
    for item in _inputs(args.paths):
        tally.documents += 1
        try:
            if isinstance(item, InputError):
                raise item
            document = load_document(item, args.max_bytes)
        except InputError as exc:
            tally.failed += 1
            print(f"error: {exc}", file=sys.stderr)
            continue
        rows += indicator_rows(document.text, document.doc_id)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        write_table(rows, args.output)
    else:
        write_table(rows, None, sys.stdout)
    print(f"{tally}, {len(rows)} indicators", file=sys.stderr)
    return 1 if tally.failed else 0


def run_eval(args: argparse.Namespace) -> int:
    tally = Tally()
    if args.extract:
        predictions = [r for result in extract_batch(args.extract, args.max_bytes, False, tally) for r in result.records()]
        print(tally, file=sys.stderr)
    else:
        predictions = args.pred
    print(format_scores(score(args.gold, predictions)))
    return 1 if tally.failed else 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of bytes, got {text}")
    return value


def _kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list of {', '.join(KINDS)}, got {text!r}")
    return kinds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jixiao", description="Information extraction for Chinese budget-performance reports.")
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("--max-bytes", type=_positive_int, default=DEFAULT_MAX_BYTES, metavar="N",
                         help=f"fail files larger than N bytes (default: {DEFAULT_MAX_BYTES})")

    extract = commands.add_parser("extract", parents=[reading], help="mentions of every file, as schema records",
                                  description="Extract mentions from files and folders (searched recursively for .txt and .md).")
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default: jsonl)")
    extract.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    extract.add_argument("--strict", action="store_true", help="stop at the first file that cannot be read")
    extract.add_argument("--kinds", type=_kinds, default=KINDS, metavar="KINDS",
                         help=f"record kinds to emit, comma-separated (default: {','.join(KINDS)})")
    extract.set_defaults(run=run_extract)

    tables = commands.add_parser("tables", parents=[reading], help="performance-indicator rows as a spreadsheet",
                                 description="One row per indicator with its report's title, organisation and year.")
    tables.add_argument("paths", nargs="+", metavar="PATH")
    tables.add_argument("-o", "--output", metavar="FILE", help="write FILE.xlsx or FILE.csv (default: CSV to stdout)")
    tables.set_defaults(run=run_tables)

    evaluate = commands.add_parser("eval", parents=[reading], help="score mentions against gold files",
                                   description="Per-type strict and lenient precision, recall and F1 of mentions.")
    evaluate.add_argument("--gold", metavar="DIR", help=f"folder of gold *.jsonl files (default: {DEFAULT_GOLD})")
    source = evaluate.add_mutually_exclusive_group(required=True)
    source.add_argument("pred", nargs="?", metavar="PRED.jsonl", help="predictions, as written by `jixiao extract`")
    source.add_argument("--extract", nargs="+", metavar="PATH", help="extract these files and folders, then score")
    evaluate.set_defaults(run=run_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "eval" and args.gold is None:
        if not DEFAULT_GOLD.is_dir():
            parser.error(errors.NO_DEFAULT_GOLD)
        args.gold = str(DEFAULT_GOLD)
    try:
        return args.run(args)
    except JixiaoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`jixiao extract … | head`): stop quietly, as other Unix tools do,
        # and keep Python from failing again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
