"""Segmentation of very long runs: cut into MAX_RUN pieces, and only runs without any punctuation."""
from pipeline import segment
from pipeline.segment import MAX_RUN, jieba_tokenizer, words


def _word_ends(ws: list[str]) -> set[int]:
    ends, pos = set(), 0
    for w in ws:
        pos += len(w)
        ends.add(pos)
    return ends


def test_a_run_longer_than_max_run_is_cut_into_pieces():
    text = "交通运输" * (MAX_RUN // 2)
    ws = words(text)
    assert "".join(ws) == text
    assert {MAX_RUN, 2 * MAX_RUN} <= _word_ends(ws)


def test_a_rare_punctuation_mark_breaks_a_run_too():
    # `—` is not among the common breaks of the quick test, so the exact test decides
    text = "交通运输" * (MAX_RUN // 8) + "—" + "公路养护" * (MAX_RUN // 8)
    assert len(text) > MAX_RUN
    segment.set_segmenter("jieba")
    assert words(text) == jieba_tokenizer().lcut(text)


def test_the_quick_test_never_misses_a_long_run():
    # a run just over MAX_RUN at every offset: it always covers a whole aligned window
    for lead in range(0, 2 * MAX_RUN, 37):
        text = "，" * lead + "交" * (MAX_RUN + 1) + "。" + "运输，" * 50
        assert segment._may_have_long_run(text)
    # marks closer together than half of MAX_RUN rule every run out without the exact test
    assert not segment._may_have_long_run(("交" * (MAX_RUN // 2 - 1) + "，") * 20)
