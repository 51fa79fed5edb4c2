"""The linear-time check itself: it must fail on quadratic work and pass on linear work."""
from __future__ import annotations

import pytest

from timing import assert_linear


def _pairs(n: int) -> int:
    return sum(1 for i in range(n) for _j in range(i))


def _items(n: int) -> int:
    return sum(1 for _i in range(n * 400))


def test_quadratic_work_fails():
    # large enough that the quadratic run (~1 s) dwarfs SLACK and a noisy small run
    with pytest.raises(AssertionError, match="4x the input took"):
        assert_linear(_pairs, lambda n: n, 2_400)


def test_linear_work_passes():
    assert_linear(_items, lambda n: n, 1_200)
