"""normalize(): full-width folding, spaces inside quantities, PDF line breaks, and
the offset map back to the source (source[s:e] is the original substring)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize import Normalized, fold_width, normalize

LONG = "这是一段很长的正文内容用于测试换行的拼接效果"  # 22 characters, longer than a title line

# source -> normalised text
CASES = [
    # full-width ASCII and the ideographic space fold to ASCII
    ("fold-digits", "３０万元", "30万元"),
    ("fold-percent", "９８％", "98%"),
    ("fold-brackets", "（一）项目概况", "(一)项目概况"),
    ("fold-comma", "资金，到位", "资金,到位"),
    ("fold-latin", "Ｇ３０", "G30"),
    ("fold-ideographic-space", "ＡＢ　ＣＤ", "AB CD"),
    # spaces beside a Chinese character or symbol go, between two ASCII characters stay
    ("space-money", "完成投资 12.53 亿元", "完成投资12.53亿元"),
    ("space-date", "2023 年 7 月", "2023年7月"),
    ("space-words", "项目支出 绩效", "项目支出绩效"),
    ("space-op", "≥ 15", "≥15"),
    ("space-before-percent", "占比 95 %", "占比95%"),
    ("space-ascii-kept", "ISO 9001", "ISO 9001"),
    ("space-heading-kept", "1. 2023年", "1. 2023年"),
    ("space-ideographic", "30\u3000万元", "30万元"),
    ("space-nbsp", "30\u00a0万元", "30万元"),
    ("space-several", "30   万元", "30万元"),
    ("space-docno", "张财预 〔2023〕 57 号", "张财预〔2023〕57号"),
    # line breaks a PDF conversion put inside a sentence or number are joined
    ("break-in-sentence", LONG + "，共计完成投资\n30万元。", LONG + ",共计完成投资30万元。"),
    ("break-in-number", LONG + "12.\n53亿元", LONG + "12.53亿元"),
    ("break-before-unit", LONG + "完成投资30\n万元", LONG + "完成投资30万元"),
    ("break-with-indent", LONG + "完成\n  投资", LONG + "完成投资"),
    # ... but not after a sentence end, a short line, before a heading, or in a table row
    ("break-after-full-stop", LONG + "。\n第二段", LONG + "。\n第二段"),
    ("break-after-short-line", "短行\n正文", "短行\n正文"),
    ("break-before-heading", LONG + "\n一、项目概况", LONG + "\n一、项目概况"),
    ("break-before-numbered", LONG + "\n（二）项目绩效目标", LONG + "\n(二)项目绩效目标"),
    ("break-in-table", "张掖市交通运输局\t30 万\n下一行", "张掖市交通运输局\t30万\n下一行"),
    ("crlf", "第一行\r\n第二行", "第一行\n第二行"),
]


@pytest.mark.parametrize("source,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_normalize(source, expected):
    assert normalize(source).text == expected


@pytest.mark.parametrize("source", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_every_normalised_character_comes_from_the_source(source):
    norm = normalize(source)
    folded = fold_width(source)
    for i, ch in enumerate(norm.text):
        s, e = norm.to_source(i, i + 1)
        assert e == s + 1
        assert folded[s] == ch


def test_fold_width_covers_the_whole_fullwidth_block():
    full = "".join(chr(cp) for cp in range(0xFF01, 0xFF5F))
    half = "".join(chr(cp) for cp in range(0x21, 0x7F))
    assert fold_width(full) == half
    assert fold_width("０１２３４５６７８９") == "0123456789"  # no digit folds to a wrong one


def test_fold_width_keeps_everything_else():
    text = "张掖市交通运输局〔2023〕《规划》“四好农村路”—…％"
    assert fold_width(text[:-1]) == text[:-1]


# to_source: a span of the normalised text maps back to the original substring

SPANS = [
    ("money-spaced", "完成投资 12.53 亿元。", "12.53亿元", "12.53 亿元"),
    ("money-fullwidth", "完成投资３０ 万元。", "30万元", "３０ 万元"),
    ("date-spaced", "于 2023 年 7 月下达", "2023年7月", "2023 年 7 月"),
    ("docno-spaced", "根据张财预 〔2023〕 57 号文件", "张财预〔2023〕57号", "张财预 〔2023〕 57 号"),
    ("across-line-break", LONG + "完成投资30\n万元。", "30万元", "30\n万元"),
    ("after-deletions", "预算 30 万元，到位 30 万元，执行率 100 %。", "100%", "100 %"),
    ("at-start", "３０万元", "30万元", "３０万元"),
    ("plain", "市财政局", "财政局", "财政局"),
]


@pytest.mark.parametrize("source,norm_sub,source_sub", [c[1:] for c in SPANS], ids=[c[0] for c in SPANS])
def test_to_source_maps_back(source, norm_sub, source_sub):
    norm = normalize(source)
    start = norm.text.rindex(norm_sub)
    s, e = norm.to_source(start, start + len(norm_sub))
    assert source[s:e] == source_sub


def test_to_source_empty_span():
    norm = normalize("预算 30 万元")
    assert norm.to_source(1, 1) == (1, 1)
    assert norm.to_source(len(norm.text), len(norm.text)) == (len(norm.source), len(norm.source))


def test_normalized_keeps_the_source():
    source = "预算 ３０ 万元"
    norm = normalize(source)
    assert isinstance(norm, Normalized)
    assert norm.source == source


def test_empty_text():
    norm = normalize("")
    assert norm.text == ""
    assert norm.to_source(0, 0) == (0, 0)


# the map holds on any text: every normalised span is the folded source span minus deleted whitespace

SOURCE_TEXT = st.lists(
    st.sampled_from(list("预算资金万元公里年月日。，、 \u3000\t\n\r０１２３９0129.%％（）〔〕GSX一") + [LONG, "\n（一）", "1. "]),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(SOURCE_TEXT, st.data())
def test_to_source_on_any_text(source, data):
    norm = normalize(source)
    folded = fold_width(source)
    n = len(norm.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    s, e = norm.to_source(start, end)
    assert 0 <= s <= e <= len(source)
    piece = norm.text[start:end]
    if piece:
        # the ends map exactly; what the span lost in between is only whitespace
        assert folded[s] == piece[0] and folded[e - 1] == piece[-1]
        assert "".join(folded[s:e].split()) == "".join(piece.split())
