"""Search latency and ingest throughput on a store of generated reports.

    .venv/bin/python benchmarks/search.py --reports 10000 [--db /tmp/bench.db] [--keep]

Generates the reports (benchmarks/generate.py), ingests them into a fresh store,
then runs a set of queries users type (route codes, works, money words, with and
without filters) many times each and prints ingest reports/s and KB/s and the
median and 95th-percentile query latency. The goal: median under 50 ms at 10,000
reports.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import report  # noqa: E402

from pipeline.ingest import ingest  # noqa: E402
from pipeline.search import SearchFilters, search  # noqa: E402
from pipeline.store import Store  # noqa: E402

QUERIES = [
    ("G569", SearchFilters()),
    ("危桥", SearchFilters()),
    ("养护", SearchFilters()),
    ("完成投资", SearchFilters(year=2023)),
    ("绕城高速", SearchFilters()),
    ("预算资金", SearchFilters(type="MONEY", limit=50)),
    ("农村公路硬化", SearchFilters(org="成都市")),
    ("服务区改扩建 投资", SearchFilters()),
    ("", SearchFilters(road="S639")),
    ("满意度", SearchFilters(year=2024, limit=100)),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="store to build (default: a temporary file)")
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        rng = random.Random(args.seed)
        size = 0
        for n in range(args.reports):
            text = report(rng, n)
            size += len(text.encode("utf-8"))
            (folder / f"report_{n:05d}.txt").write_text(text, encoding="utf-8")
        db = args.db or Path(tmp) / "bench.db"
        db.unlink(missing_ok=True)
        with Store(db) as store:
            start = time.perf_counter()
            tally = ingest([folder], store)
            seconds = time.perf_counter() - start
            facts = store.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
            print(f"ingest: {tally}; {facts} facts; {seconds:.1f} s = {args.reports / seconds:.1f} reports/s, "
                  f"{size / 1024 / seconds:.0f} KB/s")
            latencies = []
            for query, filters in QUERIES:
                times = []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    hits = search(store, query, filters)
                    times.append((time.perf_counter() - t) * 1000)
                latencies += times
                print(f"  {query or '(filters only)'!s:<12} {len(hits):>4} hits  median {statistics.median(times):6.2f} ms")
            latencies.sort()
            p95 = latencies[int(len(latencies) * 0.95) - 1]
            print(f"search over {args.reports} reports: median {statistics.median(latencies):.2f} ms, "
                  f"p95 {p95:.2f} ms (goal: median < 50 ms)")


if __name__ == "__main__":
    main()
