"""Do the compiled segmenters cut the corpus as plain jieba does (project dictionary loaded)?

    .venv/bin/python benchmarks/segmenters.py [PATH…]     # default: corpus/

Prints, per segmenter, how many words of the normalised text differ from plain
jieba's and the first differing words, then whether jixiao's records (mentions,
reports, indicators, facts) are the same with it.
"""
from __future__ import annotations

import argparse
import difflib
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import segment  # noqa: E402
from pipeline.document import process_text  # noqa: E402
from pipeline.load import expand_paths, load_document  # noqa: E402
from pipeline.normalize import normalize  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=[str(CORPUS)])
    parser.add_argument("--show", type=int, default=8, help="differences to show per segmenter")
    args = parser.parse_args()
    logging.getLogger("jieba").setLevel(logging.WARNING)
    texts = [load_document(p).text for p in expand_paths(args.paths) if isinstance(p, Path)]
    norms = [normalize(t).text for t in texts]

    def run(name: str):
        segment.set_segmenter(name)
        words = [segment.words(n) for n in norms]
        records = [process_text(t, str(i)).records() for i, t in enumerate(texts)]
        return words, records

    ref_words, ref_records = run("jieba")
    total = sum(len(w) for w in ref_words)
    print(f"{len(texts)} documents, {total} jieba words")
    for name in segment.available_segmenters():
        if name == "jieba":
            continue
        words, records = run(name)
        diffs = []
        for a, b in zip(ref_words, words):
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
                if op != "equal":
                    diffs.append(("/".join(a[i1:i2]), "/".join(b[j1:j2])))
        changed = sum(len(x.split("/")) for x, _ in diffs)
        print(f"\n{name}: {len(diffs)} differing runs ({changed} of {total} jieba words, {changed / total:.2%}); "
              f"records {'identical' if records == ref_records else 'DIFFERENT'}")
        for a, b in diffs[: args.show]:
            print(f"  jieba {a!r:30} {name} {b!r}")


if __name__ == "__main__":
    main()
