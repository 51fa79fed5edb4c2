"""Throughput of pipeline.extract against plain jieba segmentation of the same text.

    .venv/bin/python benchmarks/throughput.py [--mb 5] [--doc corpus/zhangye_transport_2023.txt]

The document is repeated until the copies add up to at least --mb megabytes of
UTF-8, and each copy is processed on its own, as a batch of files would be. Both
sides are loaded before the clock starts (jieba's dictionary, jixiao's
recognisers), so the figures are steady-state speed. KB is 1000 bytes of UTF-8.

The two run copy by copy in turn and are timed in CPU seconds of this process, so a
neighbour on the machine or a slow spell of the virtual machine falls on both alike
(wall-clock figures here varied by a third from run to run).
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

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "zhangye_transport_2023.txt"


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
    parser.add_argument("--mb", type=float, default=5.0, help="megabytes of text to process (default: 5)")
    parser.add_argument("--doc", type=Path, default=SAMPLE, help="the document to repeat (default: the sample)")
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
    pipeline.extract(text)  # loads models/, the spaCy pipeline and jixiao's own jieba dictionary
    baseline_rss = peak_rss_mb()

    jieba_seconds, extract_seconds = timed_in_turn([segmenter.lcut, pipeline.extract], documents)

    print(f"text: {copies} copies of {args.doc.name} ({copy_bytes / 1000:.1f} KB each), {total_kb / 1000:.2f} MB in all")
    print(f"jieba.lcut        {jieba_seconds:8.2f} CPU s  {total_kb / jieba_seconds:8.1f} KB/s")
    print(f"pipeline.extract  {extract_seconds:8.2f} CPU s  {total_kb / extract_seconds:8.1f} KB/s")
    print(f"extract's throughput is {jieba_seconds / extract_seconds:.0%} of plain jieba's (goal: at least 50%)")
    print(f"peak memory (max RSS): {peak_rss_mb():.0f} MB; {baseline_rss:.0f} MB once both were loaded")


if __name__ == "__main__":
    main()
