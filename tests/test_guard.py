"""Which patterns may run without a time limit: only those that repeat nothing without bound."""
import re

import pytest

import regex

from pipeline.recognize.guard import Guarded, Twin, bounded, for_re, guarded, repeats_without_bound


@pytest.mark.parametrize("pattern,unbounded", [
    ("a+", True),
    ("a*", True),
    ("a+?", True),
    ("a{2,}", True),
    ("a{,}", True),
    ("[一二三]+万", True),
    ("(?:万元|元)", False),
    ("a{2,5}", False),
    (r"[\d]{1,3}", False),
    (r"\+\*", False),
    ("[+*]", False),
    ("[]+]", False),
    ("[^]*]", False),
    (r"[\]+]x", False),
    (r"[\]]+", True),
    ("(?P<body>(?:交通|运输)(?:[和与]?(?:交通|运输)){0,6})(?P<form>局)", False),
])
def test_unbounded_repetition_is_found_outside_escapes_and_classes(pattern, unbounded):
    assert repeats_without_bound(pattern) is unbounded


def test_a_bounded_pattern_runs_untimed_and_an_unbounded_one_is_refused():
    assert isinstance(bounded("(?:万元|元)"), re.Pattern)
    assert isinstance(guarded("(?:万元|元)"), Guarded)
    with pytest.raises(ValueError, match="repeats without bound"):
        bounded(r"\d+元")


def test_both_engines_answer_alike():
    text = "张掖市交通运输局下达资金30万元，2023年"
    for pattern in ("交通运输局", r"\d{2}万元", "(?P<y>20[0-9]{2})年"):
        fast, timed = bounded(pattern), guarded(pattern)
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in timed.finditer(text)]
        assert fast.search(text, 3).span() == timed.search(text, 3).span()


def test_only_calls_over_a_long_span_carry_the_time_limit(monkeypatch):
    from pipeline.recognize import guard

    monkeypatch.setattr(guard, "PATTERN_TIMEOUT", 1e-9)  # every timed call runs out of time
    digits = guarded(r"\d+")
    long_text = "1" * (guard.UNTIMED_SPAN * 20)
    assert digits.match(long_text, 0, guard.UNTIMED_SPAN).end() == guard.UNTIMED_SPAN
    assert digits.findall(long_text[:guard.UNTIMED_SPAN]) == [long_text[:guard.UNTIMED_SPAN]]
    assert digits.search(long_text, len(long_text) - 10).start() == len(long_text) - 10
    for call in (lambda: digits.match(long_text), lambda: list(digits.finditer(long_text)),
                 lambda: digits.sub("", long_text), lambda: digits.fullmatch(long_text, 5),
                 lambda: list(Twin(r"\d+").finditer_by_lines("12\n" + long_text, False))):
        with pytest.raises(TimeoutError):
            call()


@pytest.mark.parametrize("lines", [
    ["30万元，5公里"] * 400,                       # many short lines
    ["1" * 2500 + "万元", "预算30万元"],            # a line longer than the untimed span
    ["x" * 999, "12个", "", "3年", "y" * 1001],     # lines at the span's edge
])
def test_finditer_by_lines_finds_what_finditer_finds(lines):
    pattern = r"(?<![\d])\d+(?:万元|公里|个|年)"
    for text in ("\n".join(lines), "\n".join(lines) + "\n"):
        assert [m.span() for m in Twin(pattern).finditer_by_lines(text, False)] == \
            [m.span() for m in regex.finditer(pattern, text)]


EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


@pytest.mark.parametrize("pattern", [r"\d", r"\s", r"\S", r"\p{Han}", r"[\d.A-Za-z]", r"[%\p{Han}A-Za-z]",
                                     r"[-−负\d零十]", r"[\s\t]", "[Oo]"])
def test_for_re_matches_what_regex_matches_at_every_code_point(pattern):
    runs = [m.span() for m in regex.finditer(f"(?:{pattern})+", EVERY_CHARACTER)]
    assert [m.span() for m in re.finditer(f"(?:{for_re(pattern)})+", EVERY_CHARACTER)] == runs
    bmp = [(s, min(e, 0x10000)) for s, e in runs if s < 0x10000]
    assert [m.span() for m in re.finditer(f"(?:{for_re(pattern, beyond_bmp=False)})+", EVERY_CHARACTER[:0x10000])] == bmp


@pytest.mark.parametrize("pattern", [r"\w+", r"\bx", r"[^\d]", r"[^\s]", r"[\S]", r"[\w]", r"[a\d-z]"])
def test_for_re_refuses_what_it_cannot_write(pattern):
    with pytest.raises(ValueError):
        for_re(pattern)
