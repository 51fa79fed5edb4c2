"""segment.ClauseTokens, which segments only the clauses asked about, answers every
query of the name rules as the tokens of the whole text's spaCy Doc do, with every
installed segmenter (hypothesis, and the corpus's documents)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import segment
from pipeline.components import blank, doc_tokens
from pipeline.segment import MAX_RUN, ClauseTokens

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# (the segmenter fixture is meant to hold for every generated text)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Han words and characters (some outside jieba's block range: 㐀 𠀀 鿿), Latin and digits,
# the characters jieba keeps inside its blocks (+#&._%-), punctuation, symbols, spaces
# (single and doubled), tabs, line breaks, \r and \r\n, a control character.
pieces = st.sampled_from([
    "张掖市", "交通运输局", "公路", "养护", "工程", "项目", "经费", "至", "段", "万元", "年", "的",
    "㐀", "𠀀", "鿿", "G569", "S301", "abc", "ISO", "9001", "12.53", "3", "+", "#", "&", ".", "_", "%", "-",
    "，", "。", "、", "；", "：", "（", "）", "《", "》", "“", "”", ",", ";", ":", "(", ")", "—", "…", "≥", "~",
    " ", "  ", "\t", "\n", "\r", "\r\n", "\u3000", "\x1c",
])
long_run = st.integers(MAX_RUN - 20, 2 * MAX_RUN + 30).map(lambda n: ("交通运输公路养护" * n)[:n])
texts = st.lists(st.one_of(*[pieces] * 12, long_run), max_size=60).map("".join)


def assert_same_answers(text: str, prepared: list[int] = ()) -> None:
    full = doc_tokens(blank().make_doc(text))
    lazy = ClauseTokens(text)
    lazy.prepare(prepared)
    assert set(lazy.segmented()) <= set(zip(full.starts, full.ends))
    for pos in range(-1, len(text) + 2):
        assert lazy.ending_at(pos) == full.ending_at(pos), ("ending_at", pos)
        assert lazy.starts_at(pos) == full.starts_at(pos), ("starts_at", pos)
        assert lazy.containing(pos) == full.containing(pos), ("containing", pos)
    assert set(lazy.segmented()) <= set(zip(full.starts, full.ends))
    # each from nothing segmented yet, at some 60 places of the text
    for start in range(-1, len(text) + 1, max(7, len(text) // 60)):
        for width in (0, 1, 5, 45):
            assert ClauseTokens(text).within(start, start + width) == full.within(start, start + width)


@pytest.fixture(params=segment.available_segmenters())
def segmenter(request):
    before = segment.segmenter()
    segment.set_segmenter(request.param)
    yield request.param
    segment.set_segmenter(before)


@SETTINGS
@given(text=texts)
def test_clause_tokens_answer_as_the_doc_tokens(segmenter, text):
    assert_same_answers(text)


@SETTINGS
@given(text=texts, picks=st.lists(st.integers(0, 10_000), max_size=30))
def test_clause_tokens_prepared_answer_as_the_doc_tokens(segmenter, text, picks):
    # clauses segmented together, joined into one text, have the words they have alone
    assert_same_answers(text, [pick % (len(text) + 3) - 1 for pick in picks])


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_clause_tokens_answer_as_the_doc_tokens_on_the_corpus(segmenter, path):
    text = path.read_text(encoding="utf-8")
    assert_same_answers(text)
    assert_same_answers(text, list(range(0, len(text), 7)))


def test_prepare_segments_the_clauses_in_one_call(monkeypatch):
    text = "张掖市交通运输局，" * 50 + "\n" + "公路养护。" * 50
    calls = []
    words = segment.words
    monkeypatch.setattr(segment, "words", lambda piece: calls.append(piece) or words(piece))
    tokens = ClauseTokens(text)
    tokens.prepare([3, 6, 3 + 9 * 20, 452])
    assert len(calls) == 1
    assert tokens.starts_at(3 + 9 * 20) and tokens.ending_at(453) == 451
    assert _clauses_segmented(tokens) == [(0, 9), (180, 189), (451, 456)] and len(calls) == 1


def _clauses_segmented(tokens: ClauseTokens) -> list[tuple[int, int]]:
    """(start, end) of each run of segmented tokens that touch one another."""
    runs: list[tuple[int, int]] = []
    for start, end in tokens.segmented():
        if runs and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def test_only_the_clauses_asked_about_are_segmented():
    text = "张掖市交通运输局，" * 50 + "\n" + "公路养护。" * 50
    tokens = ClauseTokens(text)
    assert tokens.ending_at(8) == doc_tokens(blank().make_doc(text)).ending_at(8)
    assert _clauses_segmented(tokens) == [(0, 9)]  # the first clause, 张掖市交通运输局，
    assert tokens.within(452, 454) and _clauses_segmented(tokens) == [(0, 9), (451, 456)]


def test_a_line_break_or_tab_before_a_place_needs_no_words():
    text = "张掖市交通运输局\r\n交通运输局\n\t交通运输局"
    tokens, full = ClauseTokens(text), doc_tokens(blank().make_doc(text))
    for pos in (10, 16, 17):  # after \r\n, after \n, after \t
        assert tokens.ending_at(pos) == full.ending_at(pos), pos
    assert tokens.segmented() == []
    assert tokens.ending_at(9) is None and full.ending_at(9) is None  # inside \r\n
