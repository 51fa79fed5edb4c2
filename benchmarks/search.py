"""Search latency, page latency and ingest throughput on a store of generated reports.

    .venv/bin/python benchmarks/search.py --reports 10000 [--db /tmp/bench.db [--reuse]]

Generates the reports (benchmarks/generate.py), ingests them into a fresh store
(or, with --reuse, uses the store --db already holds), then runs a set of queries
users type (route codes and route words, works, two-character words, money words,
with and without filters; facts, indicators, reports, findings) many times each and
prints ingest reports/s and KB/s and the median and 95th-percentile query latency,
then times each page of `jixiao serve` (pipeline/serve/). The goals at 10,000
reports: search median under 20 ms, 95th percentile under 50 ms; every page under
300 ms.
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
    ("省道639", SearchFilters()),
    ("东岭", SearchFilters()),
    ("G569 养护", SearchFilters()),
    ("危桥", SearchFilters()),
    ("养护", SearchFilters()),
    ("完成投资", SearchFilters(year=2023)),
    ("绕城高速", SearchFilters()),
    ("预算资金", SearchFilters(type="MONEY", limit=50)),
    ("农村公路硬化", SearchFilters(org="成都市")),
    ("服务区改扩建 投资", SearchFilters()),
    ("", SearchFilters(road="S639")),
    ("满意度", SearchFilters(year=2024, limit=100)),
    ("危桥", SearchFilters(), "indicators"),
    ("养护 专项经费", SearchFilters(), "reports"),
    ("满分", SearchFilters(), "findings"),
]
PAGES = ["/?q=危桥", "/?q=投资&year=2023", "/?q=养护&kind=reports", "/?q=满意度&kind=indicators", "/doc/{doc}",
         "/road/{road}", "/report/{report}", "/project?name=绕城高速"]


def query_latency(store: Store, args: argparse.Namespace) -> None:
    latencies = []
    for query, filters, *kind in QUERIES:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            hits = search(store, query, filters, *kind)
            times.append((time.perf_counter() - t) * 1000)
        latencies += times
        label = f"{query or '(filters only)'} {kind[0] if kind else ''}"
        print(f"  {label:<22} {len(hits):>4} of {hits.total:>6} hits  median {statistics.median(times):6.2f} ms")
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    documents = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    print(f"search over {documents} documents: median {statistics.median(latencies):.2f} ms, "
          f"p95 {p95:.2f} ms (goal: median < 20 ms, p95 < 50 ms)")


def time_pages(db: Path, repeat: int) -> None:
    import asyncio

    from pipeline.serve import app
    from pipeline.serve.charts import warm_up

    warm_up()
    datasette = app(db)
    with Store(db) as store:
        ids = {"doc": store.conn.execute("SELECT max(id) FROM documents").fetchone()[0],
               "report": store.conn.execute("SELECT max(id) FROM reports").fetchone()[0],
               "road": store.conn.execute("SELECT road FROM facts WHERE road IS NOT NULL GROUP BY road"
                                          " ORDER BY count(*) DESC LIMIT 1").fetchone()[0]}

    async def run() -> None:
        worst = 0.0
        for page in PAGES:
            path = page.format(**ids)
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                response = await datasette.client.get(path)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            worst = max(worst, max(times))
            print(f"  page {path:<34} median {statistics.median(times):7.1f} ms  max {max(times):7.1f} ms")
        print(f"pages: slowest {worst:.1f} ms (goal: every page < 300 ms)")

    asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="store to build (default: a temporary file)")
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--reuse", action="store_true", help="use the store --db holds; generate and ingest nothing")
    args = parser.parse_args()
    if args.reuse and args.db and args.db.is_file():
        with Store(args.db) as store:
            query_latency(store, args)
        time_pages(args.db, max(3, args.repeat // 4))
        return

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
            query_latency(store, args)
        time_pages(db, max(3, args.repeat // 4))


if __name__ == "__main__":
    main()
