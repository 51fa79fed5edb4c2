"""Speed and scale of jixiao (issue 6). Each part runs in one process, one run;
figures are KB/s of UTF-8 input (KB = 1000 bytes). Not a test: timings depend on the machine.

    .venv/bin/python benchmarks/scale.py linearity [--mb 1]      # one report of MB vs one of 10x MB (CPU s, best of 2)
    .venv/bin/python benchmarks/scale.py workers [--mb 8]        # ingest --workers 1, 2 and --engine dask (2 workers)
    .venv/bin/python benchmarks/scale.py memory [--mb 200]       # peak RSS of ingest over a generated corpus

Single-core throughput, with each segmenter, is benchmarks/throughput.py --segmenters.
workers/memory: synthetic reports from benchmarks/generate.py in a temporary folder.
"""
from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "corpus" / "zhangye_transport_2023.txt"
SYNTHETIC_REPORT_BYTES = 1400  # about, for generate.py



def linearity(args) -> None:
    from pipeline.document import process_text

    text = SAMPLE.read_text(encoding="utf-8")
    process_text(text, "warm-up")
    size = len(text.encode("utf-8"))
    times = {}
    for scale in (1, 10):
        doc = text * math.ceil(scale * args.mb * 1_000_000 / size)
        # CPU seconds, the better of two runs: one wall-clock run each varied from 8.3x to 10.6x
        times[scale] = min(_cpu_seconds(process_text, doc, "big") for _run in range(2))
        print(f"process_document, one report of {len(doc.encode('utf-8')) / 1e6:5.1f} MB: {times[scale]:7.2f} CPU s")
    print(f"10x the text takes {times[10] / times[1]:.1f}x the time")


def _cpu_seconds(work, *args) -> float:
    start = time.process_time()
    work(*args)
    return time.process_time() - start


def _generate(folder: Path, mb: float) -> float:
    reports = max(1, int(mb * 1_000_000 / SYNTHETIC_REPORT_BYTES))
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--reports", str(reports),
                    "--out", str(folder)], check=True, stdout=subprocess.DEVNULL)
    return folder_kb(folder)


def _ingest(folder: Path, db: Path, *options: str) -> tuple[float, float, float]:
    """(seconds, peak RSS MB of the ingest process, peak RSS MB of its largest child)."""
    script = ("import resource, sys, time; from pipeline.cli import main; t = time.perf_counter();"
              " main(sys.argv[1:]); s = time.perf_counter() - t;"
              " print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,"
              " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", script, "ingest", str(folder), "--db", str(db), *options],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    seconds, rss, child = out.stdout.split()[-3:]
    return float(seconds), float(rss), float(child)


def _timed_ingest(folder: Path, db: Path, label: str, *options: str) -> float:
    seconds, _rss, _child = _ingest(folder, db, *options)
    print(f"ingest {label:32} {seconds:7.1f} s  {folder_kb(folder) / seconds:7.0f} KB/s")
    return seconds


def folder_kb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("*.txt")) / 1000


def workers(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        kb = _generate(folder, args.mb)
        print(f"{len(list(folder.glob('*.txt')))} synthetic reports, {kb / 1000:.1f} MB")
        from distributed import LocalCluster

        # the dask engine also writes the Parquet dataset; --workers 2 --parquet does the same work locally
        runs = [("--workers 1", ["--workers", "1"]), ("--workers 2", ["--workers", "2"]),
                ("--workers 2 --parquet", ["--workers", "2", "--parquet", str(Path(tmp) / "local-parquet")])]
        speeds = {}
        for label, options in runs:
            speeds[label] = kb / _timed_ingest(folder, Path(tmp) / f"{len(speeds)}.db", label, *options)
        # The cluster is up before the clock starts, as a real one would be (its start-up,
        # about 10-20 s here, is not the engine's throughput); it is started only now, so
        # that its idle processes do not share the cores with the local runs. Started as
        # README says (--preload pipeline.parallel), its workers load jixiao's models as
        # they start; without the preload, each loads them in the run (about 1.6 s).
        for label, preload in (("--engine dask (LocalCluster, 2)", ["pipeline.parallel"]),
                               ("--engine dask, no preload", [])):
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                              preload=preload) as cluster:
                speeds[label] = kb / _timed_ingest(folder, Path(tmp) / f"dask{len(speeds)}.db", label,
                                                   "--engine", "dask", "--scheduler", cluster.scheduler_address)
        one, two, two_parquet, dask, dask_cold = speeds.values()
        print(f"--workers 2 is {two / one:.2f}x --workers 1; dask is {dask / two:.2f}x --workers 2 "
              f"and {dask / two_parquet:.2f}x --workers 2 --parquet (the same output); "
              f"with workers not preloaded, {dask_cold / two:.2f}x and {dask_cold / two_parquet:.2f}x")


def memory(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        kb = _generate(folder, args.mb)
        print(f"{len(list(folder.glob('*.txt')))} synthetic reports, {kb / 1000:.1f} MB")
        seconds, rss, child = _ingest(folder, Path(tmp) / "m.db", "--workers", str(args.workers))
        print(f"ingest --workers {args.workers}: {seconds:.0f} s, {kb / seconds:.0f} KB/s; peak RSS {rss:.0f} MB "
              f"(writer), {child:.0f} MB (largest worker)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parts = parser.add_subparsers(dest="part", required=True)
    for name, default in (("linearity", 1.0), ("workers", 8.0), ("memory", 200.0)):
        p = parts.add_parser(name)
        p.add_argument("--mb", type=float, default=default, help=f"megabytes of text (default: {default:g})")
        if name == "memory":
            p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    {"linearity": linearity, "workers": workers, "memory": memory}[args.part](args)


if __name__ == "__main__":
    main()
