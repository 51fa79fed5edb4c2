"""Throughput of the whole extraction (pipeline.process_text: mentions, reports,
indicators, facts) against plain jieba segmentation of the same text.

    .venv/bin/python benchmarks/throughput.py [--mb 20] [--doc corpus/zhangye_transport_2023.txt] [--segmenters] [--stage-copies 60]
    .venv/bin/python benchmarks/throughput.py --doc corpus/ --mb 2    # every corpus document in turn

The document is repeated until the copies add up to at least --mb megabytes of
UTF-8, and each copy is processed on its own, as a batch of files would be. Given a
folder, its .txt documents are taken in turn instead, so that nothing keyed by a
document's content (a cache) can flatter the figures. Both
sides are loaded before the clock starts (jieba's dictionary, jixiao's
recognisers), so the figures are steady-state speed. KB is 1000 bytes of UTF-8.

The two run copy by copy in turn and are timed in CPU seconds of this process, so a
neighbour on the machine or a slow spell of the virtual machine falls on both alike
(wall-clock figures here varied by a third from run to run). With --segmenters,
process_text runs once with each installed segmenter (jieba, jieba-fast, rjieba).
Every record kind is extracted, findings included, as `ingest` does.

Then, per segmenter, the cost of each stage in CPU ms per 33 KB (the sample's size),
over --stage-copies copies: normalise, segment, each recogniser, structure (reports
with their table regions, indicators), link, audit, and the rest (records, offsets).
The stages are timed by wrapping the functions process_text calls, in this process
only; the wrappers add a few microseconds per call, so the stage table's total runs
a little above the plain run's.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import math
import resource
import time
from pathlib import Path
from typing import Callable

import jieba

import pipeline
from pipeline import segment
from pipeline.document import STORED_KINDS

# the modules themselves (the package exports functions of the same names)
extract_module = importlib.import_module("pipeline.extract")
document_module = importlib.import_module("pipeline.document")

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "zhangye_transport_2023.txt"
# Issue 17's goals on one core, whole extraction: with plain jieba 0.75x of jieba alone; with rjieba 2.5x.
GOALS = {"jieba": " (goal: 0.75x)", "rjieba": " (goal: 2.5x)"}


def timed_in_turn(processes: list[Callable[[str], object]], documents: list[str]) -> list[float]:
    """CPU seconds each process spent on all the documents, run one document at a time in turn."""
    spent = [0.0] * len(processes)
    for document in documents:
        for k, process in enumerate(processes):
            start = time.process_time()
            process(document)
            spent[k] += time.process_time() - start
    return spent


STAGE_KB = 33.0  # the sample's size: stage costs are given per report of that size


class StageClock:
    """CPU seconds per stage, from wrappers around what process_text calls (see `timed_stages`).
    A stage's figure leaves out the wrapped calls made inside it (the name rules segment
    the clauses they read: that time is the segmenter's)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self._inner = [0.0]  # per call in progress: the seconds of wrapped calls inside it

    def wrap(self, stage: str, function: Callable) -> Callable:
        def timed(*args, **kwargs):
            self._inner.append(0.0)
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.process_time() - start
                self.spent[stage] = self.spent.get(stage, 0.0) + elapsed - self._inner.pop()
                self._inner[-1] += elapsed
        return timed


def timed_stages(documents: list[str], doc_id: str) -> dict[str, float]:
    """CPU seconds per stage of process_text over `documents`, plus `total` and `rest`."""
    clock = StageClock()
    saved = [(extract_module, "normalize"), (extract_module, "simplified"), (segment, "words"),
             (extract_module, "find_quantities"), (extract_module, "find_references"),
             (extract_module, "find_orgs"), (extract_module, "find_projects"), (extract_module, "select"),
             (document_module, "parse_reports"), (document_module, "table_regions"),
             (document_module, "parse_indicators"), (document_module, "link"), (document_module, "audit")]
    originals = [(module, name, getattr(module, name)) for module, name in saved]
    stages = {"normalize": "normalise", "simplified": "script (Traditional -> Simplified)",
              "words": "segment (the clauses names read)", "find_quantities": "recognise: quantities",
              "find_references": "recognise: references", "find_orgs": "recognise: names",
              "find_projects": "recognise: names", "select": "recognise: overlaps (select)",
              "parse_reports": "structure: reports", "table_regions": "structure: table regions",
              "parse_indicators": "structure: indicators", "link": "link (facts)", "audit": "audit (findings)"}
    try:
        for module, name, function in originals:
            setattr(module, name, clock.wrap(stages[name], function))
        start = time.process_time()
        for document in documents:
            pipeline.process_text(document, doc_id, STORED_KINDS)
        total = time.process_time() - start
    finally:
        for module, name, function in originals:
            setattr(module, name, function)
    return {**clock.spent, "rest (records, offsets, years)": total - sum(clock.spent.values()), "total": total}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=20.0, help="megabytes of text to process (default: 20, as issue 6 asks)")
    parser.add_argument("--doc", type=Path, default=SAMPLE, help="the document to repeat (default: the sample)")
    parser.add_argument("--segmenters", action="store_true", help="extract with every installed segmenter")
    parser.add_argument("--stage-copies", type=int, default=60, help="copies timed stage by stage (default: 60)")
    args = parser.parse_args()

    texts = [p.read_text(encoding="utf-8") for p in (sorted(args.doc.glob("*.txt")) if args.doc.is_dir() else [args.doc])]
    text = "".join(texts)
    copy_bytes = len(text.encode("utf-8"))
    copies = math.ceil(args.mb * 1_000_000 / copy_bytes)
    total_kb = copies * copy_bytes / 1000
    # Cut from one repeated text, each copy is a string of its own, as read from its own file.
    repeated = text * copies
    documents, pos = [], 0
    for _ in range(copies):
        for one in texts:
            documents.append(repeated[pos:pos + len(one)])
            pos += len(one)

    logging.getLogger("jieba").setLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    names = segment.available_segmenters() if args.segmenters else [segment.segmenter()]
    for name in names:
        segment.set_segmenter(name)
        pipeline.process_text(texts[0], args.doc.name)  # loads models/, spaCy and this segmenter's dictionary
    baseline_rss = peak_rss_mb()

    extracts = []
    for name in names:
        def extract(document: str, name: str = name) -> object:
            segment.set_segmenter(name)
            return pipeline.process_text(document, args.doc.name, STORED_KINDS)
        extracts.append(extract)
    jieba_seconds, *extract_seconds = timed_in_turn([segmenter.lcut, *extracts], documents)

    print(f"text: {copies} copies of {args.doc.name} ({len(texts)} documents, {copy_bytes / 1000:.1f} KB in all), "
          f"{total_kb / 1000:.2f} MB in all")
    print(f"jieba.lcut                   {jieba_seconds:6.2f} CPU s  {total_kb / jieba_seconds:8.1f} KB/s")
    for name, seconds in zip(names, extract_seconds):
        goal = GOALS.get(name, "")
        print(f"process_text, {name:<15}{seconds:6.2f} CPU s  {total_kb / seconds:8.1f} KB/s  "
              f"{jieba_seconds / seconds:.2f}x plain jieba's throughput{goal}")
    print(f"peak memory (max RSS): {peak_rss_mb():.0f} MB; {baseline_rss:.0f} MB once everything was loaded")

    sample = documents[:args.stage_copies * len(texts)]
    per_report = sum(len(d.encode("utf-8")) for d in sample) / 1000 / STAGE_KB
    for name in names:
        segment.set_segmenter(name)
        spent = timed_stages(sample, args.doc.name)
        print(f"\nstages with {name}, CPU ms per {STAGE_KB:.0f} KB ({len(sample)} documents):")
        for stage, seconds in spent.items():
            print(f"  {stage:<36}{seconds * 1000 / per_report:7.2f}")


if __name__ == "__main__":
    main()
