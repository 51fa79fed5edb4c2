"""The `jixiao` command, a thin layer over the library API.

    jixiao extract PATH… [--kinds mention,report,indicator,fact] [--format jsonl|csv] [-o FILE] [--max-bytes N] [--strict]
                         [--keep-text DIR]
    jixiao tables PATH… [-o FILE.xlsx|FILE.csv]
    jixiao eval [--gold DIR] [--fact-units 元,%,km] PRED.jsonl
    jixiao eval [--gold DIR] --extract PATH…
    jixiao ingest PATH… [--db FILE]
    jixiao search QUERY [--db FILE] [--road G569] [--org …] [--year 2023] [--type MONEY] [--limit N] [--format table|json|csv]
    jixiao audit PATH…|--db FILE [--format table|json|md] [--rules R1,R2] [--recheck]
    jixiao summary [--road CODE | --project TEXT | --org TEXT | --report DOC#N | --list] [--format md|html] [-o FILE]
    jixiao export --format csv|parquet|xlsx [-o PATH] [--db FILE]
    jixiao serve [--db FILE] [--port N] [--host ADDRESS]

Records go to stdout (or -o FILE); errors, the progress bar and the closing
`N documents, M failed` go to stderr. A bad input file is reported on one line and
the batch goes on; the exit status is 1 if any input failed.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Sequence

from tqdm import tqdm

from . import __version__, errors, spreadsheet
from .errors import InputError, JixiaoError
from .audit import audit, audit_stored, finding_order, render_markdown as render_findings_md, render_table, rule_ids, stored_findings
from .evaluate import format_scores, score
from .document import KINDS, DocumentResult, extract_paths
from .ingest import ingest
from .parallel import ENGINES, default_workers
from .segment import SEGMENTERS, set_segmenter
from .structure.reports import report_ref
from .knowledge import EXPORT_FORMATS, KnowledgeBase
from .load import DEFAULT_MAX_BYTES, Skipped, expand_paths
from .recognize.mention import Mention
from .labels import heading, type_code
from .resources import check_models
from .search import KINDS as SEARCH_KINDS, SearchFilters, search
from .store import DEFAULT_DB, Store, road_code
from .storefile import translate
from .structure.export import write_table
from .summary import SummaryRequest, format_quantity, list_reports, list_table, render_html, render_markdown, summarise

FORMATS = ("jsonl", "csv")
DEFAULT_GOLD = Path("corpus/gold")
# Up to this many files a progress bar is more noise than help.
FEW_FILES = 3
# The schema's fields in the order Mention.record writes them: the CSV header even when nothing was found.
MENTION_FIELDS = tuple(Mention("", 0, 0, "").record(""))


@dataclass
class Tally:
    documents: int = 0
    failed: int = 0
    skipped: list[str] = field(default_factory=list)  # paths met in folders and not read

    def __str__(self) -> str:
        return f"{self.documents} documents, {self.failed} failed" + errors.skipped_note(self.skipped)


def report_skipped(tally: Tally | None = None) -> Callable[[Skipped], None]:
    """Tell each skipped path that is a problem (a link, a FIFO, an unreadable folder) on
    stderr as it is met, and count every one in `tally`: files of other types are named
    in the closing line only, so a corpus folder with its gold beside it stays quiet."""
    def tell(item: Skipped) -> None:
        if tally is not None:
            tally.skipped.append(item.path)
        if not item.other_type:
            tqdm.write(errors.terminal_safe(f"skipped: {item}"), file=sys.stderr)

    return tell


def _inputs(paths: Sequence[str], tally: Tally | None = None) -> list[Path | InputError]:
    """Every file to read, in order, with an error in place of a path that gives none."""
    items: list[Path | InputError] = []
    for raw in paths:
        found = list(expand_paths([raw], report_skipped(tally)))
        if not found:
            found = [InputError(raw, errors.NO_DOCUMENTS)]
        items += found
    return items


def _results(items: list[Path | InputError], max_bytes: int, kinds: Sequence[str]) -> Iterator[DocumentResult]:
    for item in items:
        if isinstance(item, InputError):
            yield DocumentResult(item.path, Path(item.path).name, error=item)
        else:
            yield from extract_paths([item], max_bytes, kinds)


def _progress_bar(total: int) -> tqdm:
    """A progress bar on stderr when it is a terminal and there are more than a few files."""
    return tqdm(total=total, unit="doc", file=sys.stderr, disable=not (sys.stderr.isatty() and total > FEW_FILES))


def extract_batch(paths: Sequence[str], max_bytes: int, strict: bool, tally: Tally,
                  kinds: Sequence[str] = KINDS) -> Iterator[DocumentResult]:
    """The documents that were extracted, in order. Each failure is told on stderr as
    it happens and counted in `tally`; `strict` ends the batch at the first."""
    items = _inputs(paths, tally)
    with _progress_bar(len(items)) as bar:
        for result in _results(items, max_bytes, kinds):
            bar.update()
            tally.documents += 1
            if result.error is None:
                yield result
                continue
            tally.failed += 1
            tqdm.write(errors.terminal_safe(f"error: {result.error}"), file=sys.stderr)
            if strict:
                return


def write_jsonl(records: Iterable[dict], out: IO[str]) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_csv(records: Iterable[dict], out: IO[str], columns: Sequence[str] = MENTION_FIELDS) -> None:
    """Records as CSV under `columns` and then any other field they have; nested fields
    as JSON, text that a spreadsheet would run as a formula quoted (pipeline/spreadsheet.py)."""
    rows = list(records)
    fields = dict.fromkeys(columns)
    for row in rows:  # fields a recogniser adds beyond the schema follow the schema's own
        fields.update(dict.fromkeys(row))
    spreadsheet.write_csv(list(fields), ([row.get(f) for f in fields] for row in rows), out)


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


def keep_texts(results: Iterable[DocumentResult], folder: Path, roots: Sequence[str] = ()) -> Iterator[DocumentResult]:
    """Each document's text, the string its offsets index (a PDF's text layer, a Word
    file's paragraphs and rows), written on the way through to FOLDER/<path>.txt, where
    <path> is the file's path below the input folder it was found in (its name for a
    file given by itself), so that a/report.txt and b/report.txt do not overwrite each
    other; a name met twice in one run gets `~2`, `~3` before .txt."""
    folder.mkdir(parents=True, exist_ok=True)
    written: set[Path] = set()
    for result in results:
        if result.document is not None:
            target = folder / f"{_below_root(Path(result.path), roots)}.txt"
            copy = 1
            while target in written:
                copy += 1
                target = folder / f"{_below_root(Path(result.path), roots)}~{copy}.txt"
            written.add(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            # newline="" writes the text exactly, so that offsets hold in the file too
            with open(target, "w", encoding="utf-8", newline="") as out:
                out.write(result.document.text)
        yield result


def _below_root(path: Path, roots: Sequence[str]) -> Path:
    for root in roots:
        if Path(root).is_dir() and path.is_relative_to(root):
            return path.relative_to(root)
    return Path(path.name)


def run_extract(args: argparse.Namespace) -> int:
    tally = Tally()
    with _output(args.output, args.format) as out:
        results = extract_batch(args.paths, args.max_bytes, args.strict, tally, args.kinds)
        if args.keep_text:
            results = keep_texts(results, Path(args.keep_text), args.paths)
        WRITERS[args.format]((record for r in results for record in r.records(args.kinds)), out)
    print(tally, file=sys.stderr)
    return 1 if tally.failed else 0


def run_tables(args: argparse.Namespace) -> int:
    tally = Tally()
    kinds = ("report", "indicator")
    rows = [row for result in extract_batch(args.paths, args.max_bytes, False, tally, kinds)
            for row in result.indicator_rows()]
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
    units = args.fact_units.split(",") if args.fact_units else None
    print(format_scores(score(args.gold, predictions, fact_units=units)))
    return 1 if tally.failed else 0


def run_ingest(args: argparse.Namespace) -> int:
    parquet = args.parquet
    if parquet is None and args.engine == "dask":
        parquet = str(Path(args.db).with_suffix("")) + "-parquet"
    total = sum(1 for _ in expand_paths(args.paths))
    with Store(args.db) as store, _progress_bar(total) as bar:
        tally = ingest(args.paths, store, max_bytes=args.max_bytes, strict=args.strict,
                       on_error=lambda error: tqdm.write(errors.terminal_safe(f"error: {error}"), file=sys.stderr),
                       on_skip=report_skipped(),
                       workers=args.workers or default_workers(), engine=args.engine, scheduler=args.scheduler,
                       parquet=parquet, progress=bar.update)
    if parquet is not None:
        print(f"knowledge table as Parquet -> {parquet}/", file=sys.stderr)
    print(f"{tally} -> {args.db}", file=sys.stderr)
    return 1 if tally.failed else 0


# What the table output shows of each kind of search result; json and csv give every column.
SEARCH_COLUMNS = {
    "facts": ("value", "unit", "subject", "road", "predicate", "org", "year", "sentence", "doc", "mention_start",
              "mention_end"),
    "indicators": ("ref", "org", "year", "level1", "level2", "name", "target_op", "target", "target_unit",
                   "actual", "actual_unit", "score", "met", "reason"),
    "reports": ("ref", "org", "year", "project", "title", "budget", "spent", "self_score"),
    "findings": ("ref", "org", "year", "severity", "rule", "zh", "en", "start", "end", "text"),
}
SENTENCE_WIDTH = 60


def run_search(args: argparse.Namespace) -> int:
    kind = "findings" if args.findings else args.kind
    with Store(_existing_db(args.db)) as store:
        filters = SearchFilters(road=args.road, org=args.org, year=args.year, type=args.type, limit=args.limit)
        try:
            hits = search(store, " ".join(args.query), filters, kind)
        except ValueError as exc:
            raise JixiaoError(str(exc)) from None
    columns = SEARCH_COLUMNS[kind]
    # a report is named DOC#N, as extract, tables, audit and summary name it
    rows = [{c: report_ref(row["doc"], row["report"]) if c == "ref" else row.get(c) for c in columns} for row in hits]
    if args.format == "json":
        write_jsonl(rows, sys.stdout)
    elif args.format == "csv":
        write_csv(rows, sys.stdout, columns)
    else:
        _search_table(rows, kind)
    print(f"{len(rows)} of {hits.total} {kind}", file=sys.stderr)
    return 0


def _short(text: object) -> str:
    flat = " ".join(str(text or "").split())
    return flat[:SENTENCE_WIDTH] + "…" if len(flat) > SENTENCE_WIDTH else flat


def _search_table(rows: list[dict], kind: str) -> None:
    """A header line, then one tab-separated line per row (long texts cut, figures in 亿元/万元)."""
    if kind == "facts":
        print("\t".join(("数值", "主体", "谓词", "单位·年度", "原句", "位置")))
        for row in rows:
            who = " ".join(str(x) for x in (row["org"], row["year"]) if x)
            print(errors.terminal_safe(
                f"{format_quantity(row['value'], row['unit'])}\t{row['subject']}\t{row['predicate'] or ''}\t{who}"
                f"\t{_short(row['sentence'])}\t{row['doc']}:{row['mention_start']}-{row['mention_end']}"))
        return
    table = {"indicators": "indicators", "reports": "reports", "findings": "findings"}[kind]
    print("\t".join(heading(table, c) for c in SEARCH_COLUMNS[kind]))
    for row in rows:
        print(errors.terminal_safe("\t".join(_short(row[c]) if row[c] is not None else ""
                                             for c in SEARCH_COLUMNS[kind])))


def _rules(text: str) -> tuple[str, ...]:
    rules = tuple(r.strip() for r in text.split(",") if r.strip())
    unknown = [r for r in rules if r not in rule_ids()]
    if unknown or not rules:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list of {', '.join(rule_ids())}, got {text!r}")
    return rules


def run_audit(args: argparse.Namespace) -> int:
    if bool(args.paths) == bool(args.db):
        raise JixiaoError("give files to audit, or --db FILE for a store (not both)")
    tally = Tally()
    findings = []
    titles: dict[tuple[str, int | None], str] = {}
    if args.db:
        with Store(_existing_db(args.db)) as store:
            for row in store.conn.execute("SELECT documents.doc, reports.report, reports.title FROM reports"
                                          " JOIN documents ON documents.id = reports.document_id"):
                titles[(row["doc"], row["report"])] = row["title"]
            if args.recheck:
                docs = [row["doc"] for row in store.conn.execute("SELECT doc FROM documents ORDER BY id")]
                findings = [f for doc in docs for f in audit_stored(store, doc)]
            else:
                findings = stored_findings(store)
            tally.documents = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    else:
        for result in extract_batch(args.paths, args.max_bytes, False, tally, KINDS):
            titles.update({(result.doc_id, r.report): r.title for r in result.reports if r.title})
            findings += audit(result)
    if args.rules:
        findings = [f for f in findings if f.rule in args.rules]
    if args.db:
        findings.sort(key=lambda f: (f.doc,) + finding_order(f))
    if args.format == "json":
        write_jsonl((f.record() for f in findings), sys.stdout)
    elif args.format == "md":
        print(errors.terminal_safe(render_findings_md(findings, titles)))
    elif findings:
        print(errors.terminal_safe(render_table(findings)))
    print(f"{tally}, {len(findings)} findings", file=sys.stderr)
    return 1 if tally.failed else 0


def run_summary(args: argparse.Namespace) -> int:
    fmt = args.format or ("html" if args.output and Path(args.output).suffix.lower() in (".html", ".htm") else "md")
    with Store(_existing_db(args.db)) as store:
        if args.list:
            text = list_table(list_reports(store), fmt if args.format or args.output else "text")
        else:
            if args.report is not None and args.report not in {r["ref"] for r in list_reports(store)}:
                print(errors.terminal_safe(f"error: no report {args.report} in the store; "
                                           "`jixiao summary --list` lists them"), file=sys.stderr)
                return 1
            request = SummaryRequest(road=args.road, project=args.project, org=args.org, report=args.report)
            title = args.road or args.project or args.org or (f"报告 {args.report}" if args.report is not None else "全部")
            sections = summarise(store, request)
            if fmt == "html":
                text = render_html(f"jixiao 摘要：{title}", sections, _summary_charts(store, args, title))
            else:
                text = render_markdown(f"jixiao 摘要：{title}", sections)
    if args.output is None:  # to a terminal, perhaps: without the escape sequences a document may hold
        text = errors.terminal_safe(text)
    with _output(args.output, fmt) as out:
        out.write(text + "\n")
    return 0


def _summary_charts(store: Store, args: argparse.Namespace, title: str) -> list[str]:
    """A road's or a project's timeline charts (SVG), one per kind of quantity."""
    if not (args.road or args.project):
        return []
    from .serve.charts import timeline_svg
    from .serve.timeline import timeline, timeline_facts
    from .labels import type_name

    rows = timeline(timeline_facts(store.conn, road=road_code(args.road), subject=args.project))
    kinds = dict.fromkeys((r.type, r.unit) for r in rows)
    return [timeline_svg([r for r in rows if (r.type, r.unit) == kind], f"{title} · {type_name(kind[0])}")
            for kind in kinds]


def run_export(args: argparse.Namespace) -> int:
    target = args.output or ("jixiao.xlsx" if args.format == "xlsx" else f"jixiao-{args.format}")
    kb = KnowledgeBase(_existing_db(args.db))
    try:
        written = kb.export(target, args.format)
    finally:
        kb.close()
    for path in written:
        print(path, file=sys.stderr)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    db = _existing_db(args.db)
    with Store(db):  # the tables this jixiao reads (full-text indexes of every kind), which the pages do not make
        pass
    print(f"jixiao serve: http://{args.host}:{args.port}/ over {db} (Ctrl-C to stop)", file=sys.stderr)
    serve(db, port=args.port, host=args.host)
    return 0


def _existing_db(path: str) -> str:
    if not Path(path).is_file():
        raise JixiaoError(errors.NO_STORE.format(path=path))
    return path


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
    reading.add_argument("--segmenter", choices=SEGMENTERS, default=None,
                         help="the Doc's word segmenter (default: jieba, or $JIXIAO_SEGMENTER); see README, Segmenters")
    reading.add_argument("--max-bytes", type=_positive_int, default=DEFAULT_MAX_BYTES, metavar="N",
                         help=f"fail files larger than N bytes (default: {DEFAULT_MAX_BYTES})")

    extract = commands.add_parser("extract", parents=[reading], help="mentions of every file, as schema records",
                                  description="Extract mentions from files and folders (searched recursively for "
                                              ".txt, .md, .pdf, .docx, .html, .htm, .xlsx, .xls, .doc and .wps).")
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default: jsonl)")
    extract.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    extract.add_argument("--strict", action="store_true", help="stop at the first file that cannot be read")
    extract.add_argument("--keep-text", metavar="DIR",
                         help="write each document's extracted text, which the offsets index, to DIR/<doc>.txt")
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
    evaluate.add_argument("--fact-units", metavar="UNITS", help="score only facts in these units, comma-separated "
                          "(元,%%,km,百分点: the units the corpus's fact gold covers)")
    evaluate.set_defaults(run=run_eval)

    store = argparse.ArgumentParser(add_help=False)
    store.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"the SQLite store (default: {DEFAULT_DB})")

    ingest_cmd = commands.add_parser("ingest", parents=[reading, store], help="extract files into the store",
                                     description="Extract and store every file; unchanged files are skipped, "
                                                 "changed ones replaced; each document is stored whole or not at all.")
    ingest_cmd.add_argument("paths", nargs="+", metavar="PATH")
    ingest_cmd.add_argument("--strict", action="store_true", help="stop at the first file that cannot be read")
    ingest_cmd.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                            help=f"documents extracted in N processes, written in input order (default: all cores, "
                                 f"{default_workers()} here)")
    ingest_cmd.add_argument("--engine", choices=ENGINES, default="local",
                            help="local: a process pool; dask: a Dask cluster (pip install 'jixiao[dask]')")
    ingest_cmd.add_argument("--scheduler", metavar="ADDRESS",
                            help="with --engine dask: the scheduler, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster "
                                 "of --workers processes)")
    ingest_cmd.add_argument("--parquet", metavar="DIR",
                            help="also write the knowledge table as a partitioned Parquet dataset in DIR "
                                 "(default with --engine dask: DB-parquet/)")
    ingest_cmd.set_defaults(run=run_ingest)

    search_cmd = commands.add_parser("search", parents=[store], help="search the facts of the store",
                                     description="Facts ranked by relevance; the query is plain text (words, "
                                                 "route codes), never query syntax.")
    search_cmd.add_argument("query", nargs="+", metavar="QUERY",
                            help="words to look for, all of them, e.g. 武仙公路, 危桥, G569 养护 (\"\" for all)")
    search_cmd.add_argument("--road", help="only facts about this route code")
    search_cmd.add_argument("--org", help="only facts of organisations whose name contains this")
    search_cmd.add_argument("--year", type=int, help="only facts of this fiscal year")
    search_cmd.add_argument("--type", help="only facts of this quantity type (MONEY or 金额, LENGTH or 里程, PERCENT, "
                                           "COUNT, DURATION); with --kind findings a rule or a severity")
    search_cmd.add_argument("--limit", type=int, default=20, help="at most this many results (default: 20)")
    search_cmd.add_argument("--format", choices=("table", "json", "csv"), default="table")
    search_cmd.add_argument("--kind", choices=SEARCH_KINDS, default="facts", help="what to search (default: facts)")
    search_cmd.add_argument("--findings", action="store_true", help="the same as --kind findings")
    search_cmd.set_defaults(run=run_search)

    audit_cmd = commands.add_parser("audit", parents=[reading], help="find what self-evaluation reports get wrong",
                                    description="Check each report against its own figures: missed targets given full "
                                                "marks, totals, stated rates, dates, values given twice, unmeasurable "
                                                "targets, all-met narratives. Each finding cites its evidence by "
                                                "source offsets.")
    audit_cmd.add_argument("paths", nargs="*", metavar="PATH")
    audit_cmd.add_argument("--db", metavar="FILE", help="report the findings stored by `jixiao ingest` instead")
    audit_cmd.add_argument("--recheck", action="store_true", help="with --db: run the rules again over stored sources")
    audit_cmd.add_argument("--rules", type=_rules, metavar="RULES", help="only these rules, comma-separated")
    audit_cmd.add_argument("--format", choices=("table", "json", "md"), default="table",
                           help="table (default), json (one finding per line) or md")
    audit_cmd.set_defaults(run=run_audit)

    summary_cmd = commands.add_parser("summary", parents=[store], help="a readable summary of achievements",
                                      description="Per road or project: what was invested, built and completed, "
                                                  "each figure with its sentence; per report: money and missed targets.")
    chosen = summary_cmd.add_mutually_exclusive_group()
    chosen.add_argument("--road", help="a route code, e.g. G569")
    chosen.add_argument("--project", help="text in the project's name")
    chosen.add_argument("--org", help="text in the organisation's name")
    chosen.add_argument("--report", metavar="DOC#N", help="a report, as `--list` (and extract, tables, audit) name it")
    chosen.add_argument("--list", action="store_true", help="list the stored reports with their references")
    summary_cmd.add_argument("--format", choices=("md", "html"),
                             help="md (default) or html; -o FILE.html implies html")
    summary_cmd.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    summary_cmd.set_defaults(run=run_summary)

    export_cmd = commands.add_parser("export", parents=[store], help="the whole store as CSV, Parquet or XLSX",
                                     description="csv/parquet: one file per table in a folder; xlsx: one workbook.")
    export_cmd.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    export_cmd.add_argument("-o", "--output", metavar="PATH", help="folder (csv, parquet) or file (xlsx) to write")
    export_cmd.set_defaults(run=run_export)

    serve_cmd = commands.add_parser("serve", parents=[store], help="a web app over the store: search, documents, "
                                                                   "roads, reports",
                                    description="Serve the store on a local web server (Datasette with jixiao's "
                                                "pages in Chinese; no network needed).")
    serve_cmd.add_argument("--port", type=_positive_int, default=8001, help="port to listen on (default: 8001)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine "
                                                               "only)")
    serve_cmd.set_defaults(run=run_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "eval" and args.gold is None:
        if not DEFAULT_GOLD.is_dir():
            parser.error(errors.NO_DEFAULT_GOLD)
        args.gold = str(DEFAULT_GOLD)
    try:
        check_models()  # a wrong key in models/ stops here, in one line, not in every document
        if getattr(args, "segmenter", None):
            set_segmenter(args.segmenter)
        return args.run(args)
    except JixiaoError as exc:
        print(errors.terminal_safe(f"error: {exc}"), file=sys.stderr)
        return 1
    except sqlite3.Error as exc:  # the store failed where no narrower message was given
        print(errors.terminal_safe(f"error: {translate(getattr(args, 'db', None) or DEFAULT_DB, exc)}"), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`jixiao extract … | head`): stop quietly, as other Unix tools do,
        # and keep Python from failing again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
