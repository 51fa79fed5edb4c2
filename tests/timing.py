"""The linear-time check every test of hostile or long input uses.

Time is compared, never asserted against the clock: the work runs on an input of
some size and on one `times` as large, in CPU seconds of this process (a neighbour
on the machine does not count), and the larger may take `times ** 1.5` as long plus
SLACK: linear work takes `times` as long, quadratic work `times ** 2` (4x the input:
at most 8x the time, where quadratic takes 16x; 8x the input: at most 22.6x, where
quadratic takes 64x).
"""
from __future__ import annotations

import gc
import time
from typing import Callable, TypeVar

Input = TypeVar("Input")

# Below this many CPU seconds a run is noise: the larger run may take this much more.
SLACK = 0.1


def cpu_seconds(work: Callable[[Input], object], argument: Input) -> float:
    start = time.process_time()
    work(argument)
    return time.process_time() - start


def assert_linear(work: Callable[[Input], object], make: Callable[[int], Input], size: int, times: int = 4) -> None:
    """Raises AssertionError when `work(make(times * size))` takes more than `times ** 1.5`
    times as long as `work(make(size))`, plus SLACK. `make` runs outside the clock.

    Measured twice at most: one measure can be noise, but superlinear work fails both.
    The objects earlier tests left alive are frozen out of the collector first: a full
    collection walks all of them, and only the larger run makes enough objects to set
    one off, so in a full test run it alone paid for the rest of the suite's heap."""
    work(make(max(size // 10, 1)))  # loads what the work loads once (models, dictionaries)
    gc.collect()
    gc.freeze()
    try:
        for _attempt in range(2):
            small = cpu_seconds(work, make(size))
            large = cpu_seconds(work, make(times * size))
            if large <= times ** 1.5 * small + SLACK:
                return
    finally:
        gc.unfreeze()
    raise AssertionError(f"{times}x the input took {large:.3f} s against {small:.3f} s "
                         f"(linear: ~{times}x, quadratic: ~{times * times}x)")
