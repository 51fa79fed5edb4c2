"""Throughput of the whole extraction (pipeline.process_text: mentions, reports,
indicators, facts) against plain jieba segmentation of the same text.

    .venv/bin/python benchmarks/throughput.py [--mb 20] [--doc corpus/zhangye_transport_2023.txt] [--segmenters]

The document is repeated until the copies add up to at least --mb megabytes of
UTF-8, and each copy is processed on its own, as a batch of files would be. Both
sides are loaded before the clock starts (jieba's dictionary, jixiao's
recognisers), so the figures are steady-state speed. KB is 1000 bytes of UTF-8.

The two run copy by copy in turn and are timed in CPU seconds of this process, so a
neighbour on the machine or a slow spell of the virtual machine falls on both alike
(wall-clock figures here varied by a third from run to run). With --segmenters,
process_text runs once with each installed segmenter (jieba, jieba-fast, rjieba).
"""
from __future__ import annotations

import argparse
import logging
import math
import resource
import time
from pathlib import Path
from typing import Callable

import jieba

import pipeline
from pipeline import segment

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "zhangye_transport_2023.txt"
# Issue 6's goals on one core: with plain jieba 0.7x of jieba alone; with the fastest segmenter 3x.
GOALS = {"jieba": " (goal: 0.70x)", "rjieba": " (goal for the fastest: 3x)"}


def timed_in_turn(processes: list[Callable[[str], object]], documents: list[str]) -> list[float]:
    """CPU seconds each process spent on all the documents, run one document at a time in turn."""
    spent = [0.0] * len(processes)
    for document in documents:
        for k, process in enumerate(processes):
            start = time.process_time()
            process(document)
            spent[k] += time.process_time() - start
    return spent


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=20.0, help="megabytes of text to process (default: 20, as issue 6 asks)")
    parser.add_argument("--doc", type=Path, default=SAMPLE, help="the document to repeat (default: the sample)")
    parser.add_argument("--segmenters", action="store_true", help="extract with every installed segmenter")
    args = parser.parse_args()

    text = args.doc.read_text(encoding="utf-8")
    copy_bytes = len(text.encode("utf-8"))
    copies = math.ceil(args.mb * 1_000_000 / copy_bytes)
    total_kb = copies * copy_bytes / 1000
    # Cut from one repeated text, each copy is a string of its own, as read from its own file.
    repeated = text * copies
    documents = [repeated[i * len(text):(i + 1) * len(text)] for i in range(copies)]

    logging.getLogger("jieba").setLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    names = segment.available_segmenters() if args.segmenters else [segment.segmenter()]
    for name in names:
        segment.set_segmenter(name)
        pipeline.process_text(text, args.doc.name)  # loads models/, spaCy and this segmenter's dictionary
    baseline_rss = peak_rss_mb()

    extracts = []
    for name in names:
        def extract(document: str, name: str = name) -> object:
            segment.set_segmenter(name)
            return pipeline.process_text(document, args.doc.name)
        extracts.append(extract)
    jieba_seconds, *extract_seconds = timed_in_turn([segmenter.lcut, *extracts], documents)

    print(f"text: {copies} copies of {args.doc.name} ({copy_bytes / 1000:.1f} KB each), {total_kb / 1000:.2f} MB in all")
    print(f"jieba.lcut                   {jieba_seconds:6.2f} CPU s  {total_kb / jieba_seconds:8.1f} KB/s")
    for name, seconds in zip(names, extract_seconds):
        goal = GOALS.get(name, "")
        print(f"process_text, {name:<15}{seconds:6.2f} CPU s  {total_kb / seconds:8.1f} KB/s  "
              f"{jieba_seconds / seconds:.2f}x plain jieba's throughput{goal}")
    print(f"peak memory (max RSS): {peak_rss_mb():.0f} MB; {baseline_rss:.0f} MB once everything was loaded")


if __name__ == "__main__":
    main()
