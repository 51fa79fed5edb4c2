"""Properties of `pipeline.extract` on generated text (hypothesis).

1. On text that mixes the schema's forms with noise (random Chinese characters,
   spaces inside numbers, full-width digits, line breaks, tabs), every mention's
   offsets hold its text, its type is a schema type, quantity spans do not overlap,
   and the mention's text resolves to the same value through the resolver layer.
2. A known form set between two sentence ends is found with its value, whatever
   noise surrounds it.
3. `extract` never raises on arbitrary Unicode text.
4. Long digit runs, nested brackets and a 10,000-character line finish without error,
   and hostile text takes time linear in its length.
5. Text in Traditional script gives the values of its Simplified form at the same offsets.
6. Any bytes under any input suffix give either text or one error naming the file.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from opencc import OpenCC

import pipeline
from pipeline.formats import SUFFIXES
from pipeline.normalize import fold_width
from pipeline.recognize.mention import MENTION_TYPES, NAME_TYPES
from pipeline.resolve.quantities import QUANTITY_TYPES, resolve_quantity
from pipeline.resolve.references import resolve_date, resolve_docno, resolve_road
from pipeline.script import simplified
from timing import assert_linear

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# (type, text, value, unit): forms whose value does not depend on context
FORMS = [
    ("MONEY", "30万元", Decimal(300000), "元"),
    ("MONEY", "12.53亿元", Decimal(1253000000), "元"),
    ("MONEY", "1,234.56万元", Decimal(12345600), "元"),
    ("MONEY", "叁拾万元整", Decimal(300000), "元"),
    ("MONEY", "4230万元", Decimal(42300000), "元"),
    ("MONEY", "450元", Decimal(450), "元"),
    ("PERCENT", "98.50%", Decimal("98.5"), "%"),
    ("PERCENT", "100%", Decimal(100), "%"),
    ("PERCENT", "百分之九十八点五", Decimal("98.5"), "%"),
    ("LENGTH", "280公里", Decimal(280), "km"),
    ("LENGTH", "1.5千米", Decimal("1.5"), "km"),
    ("LENGTH", "800米", Decimal("0.8"), "km"),
    ("LENGTH", "3.2万公里", Decimal(32000), "km"),
    ("ROAD", "G0611", "G0611", "国家高速"),
    ("ROAD", "G569", "G569", "国道"),
    ("ROAD", "S301", "S301", "省道"),
    ("ROAD", "X205", "X205", "县道"),
    ("ROAD", "国道324线", "G324", "国道"),
    ("DATE", "2023年7月", "2023-07", None),
    ("DATE", "2024年2月4日", "2024-02-04", None),
    ("DATE", "2023-2025年", "2023/2025", None),
    ("DATE", "2023年底", "2023-12", None),
    ("DOCNO", "张财预〔2023〕57号", "张财预〔2023〕57号", None),
    ("DOCNO", "交规划函〔2018〕423号", "交规划函〔2018〕423号", None),
    ("COUNT", "59条", Decimal(59), "条"),
    ("COUNT", "338家", Decimal(338), "家"),
    ("DURATION", "60天", Decimal(60), "天"),
    ("MONEY", "2万5000元", Decimal(25000), "元"),
    ("MONEY", "6千8百万元", Decimal(68000000), "元"),
    ("MONEY", "356元2角4分", Decimal("356.24"), "元"),
    ("MONEY", "26.4亿港元", Decimal(2640000000), "港元"),
    ("PERCENT", "6.3个百分点", Decimal("6.3"), "百分点"),
    ("DURATION", "两个半月", Decimal("2.5"), "月"),
    ("ORG", "张掖市交通运输局", None, None),
    ("ORG", "四川省交通运输厅", None, None),
    ("ORG", "苏交科集团股份有限公司", None, None),
]
# words a report puts before a form of each type, so the form reads as meant
LEAD = {
    "MONEY": "预算资金", "PERCENT": "执行率", "LENGTH": "完成", "ROAD": "改造", "DATE": "于",
    "DOCNO": "根据", "COUNT": "建成", "DURATION": "提前", "ORG": "由",
}
# words after it
TAIL = {"ROAD": "段", "DURATION": "完工", "ORG": "负责"}

HAN = "的一是在了有和人这中大为上个国我以要时来用们生到作地于出就分对成会可发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又么利比或但质气第向道命此变条只没结解问意建月公无系很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求头基资边流路级少图山统接知较将组见计别手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _spaced(text: str) -> str:
    """`30万元` -> `30 万元`: a space between the number and what follows it."""
    for i in range(len(text) - 1):
        if text[i].isdigit() and not (text[i + 1].isdigit() or text[i + 1] in ".,"):
            return text[: i + 1] + " " + text[i + 1 :]
    return text


noise = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=8),
    st.sampled_from([" ", "\t", "\n", "\n\n", "\u3000", "，", "。", "、", "（", "）", "\r\n"]),
    st.text(alphabet="0123456789０１２３４５６７８９ .,，", min_size=1, max_size=6),
)


@st.composite
def form_text(draw) -> str:
    kind, text, _value, _unit = draw(st.sampled_from(FORMS))
    if kind not in NAME_TYPES and kind not in ("ROAD", "DOCNO"):
        if draw(st.booleans()):
            text = _spaced(text)
    if draw(st.booleans()):
        text = text.translate(FULL)
    return draw(st.sampled_from(["", LEAD[kind]])) + text


mixed_text = st.lists(st.one_of(form_text(), noise), min_size=1, max_size=25).map("".join)


@SETTINGS
@given(mixed_text)
def test_offsets_hold_on_mixed_text(source):
    mentions = pipeline.extract(source)
    quantities = []
    for m in mentions:
        assert m.type in MENTION_TYPES
        assert 0 <= m.start < m.end <= len(source)
        assert source[m.start:m.end] == m.text
        assert m.text == m.text.strip(), f"{m} starts or ends with whitespace"
        if m.type not in NAME_TYPES:
            quantities.append(m)
    for a, b in zip(quantities, quantities[1:]):
        assert a.end <= b.start, f"{a} and {b} overlap"


@SETTINGS
@given(mixed_text)
def test_mentions_resolve_to_their_value(source):
    """The recogniser's value is the resolver's value of the mention's own text
    (whitespace removed: a mention may span a PDF line break the normaliser joined)."""
    for m in pipeline.extract(source):
        text = "".join(m.text.split())
        if m.type in QUANTITY_TYPES:
            q = resolve_quantity(m.type, text)
            assert q is not None and (q.value, q.unit) == (m.value, m.unit), m
        elif m.type == "ROAD":
            road = resolve_road(text)
            assert road is not None and (road.code, road.road_class) == (m.value, m.unit), m
        elif m.type == "DOCNO":
            assert fold_width(resolve_docno(text)) == m.value, m
        elif m.type == "DATE":
            assert resolve_date(text, 2023) is not None, m


@SETTINGS
@given(st.lists(noise, max_size=6).map("".join), st.sampled_from(FORMS), st.booleans(),
       st.lists(noise, max_size=6).map("".join))
def test_form_between_sentence_ends_is_found(before, form, full_width, after):
    kind, text, value, unit = form
    if full_width and kind not in ("ORG", "DOCNO"):
        text = text.translate(FULL)
    body = LEAD[kind] + text + TAIL.get(kind, "")
    source = before + "。" + body + "。" + after
    start = len(before) + 1 + len(LEAD[kind])
    found = [m for m in pipeline.extract(source) if m.type == kind and (m.start, m.end) == (start, start + len(text))]
    assert found, f"{kind} {text!r} not found in {source!r}"
    assert (found[0].value, found[0].unit) == (value, unit)


# Issue 12's properties: a mixed numeral resolves to its value; a range x-y with one unit
# gives low x and high y in the canonical unit; in a sentence, the mention's offsets hold.

CHINESE_DIGITS = "零一二三四五六七八九"


@st.composite
def mixed_numeral(draw) -> tuple[str, int]:
    """`a万b千c百d` with each of b, c written in Arabic or Chinese digits, d of two digits."""
    a, b, c, d = (draw(st.integers(1, 9999)), draw(st.integers(1, 9)), draw(st.integers(1, 9)),
                  draw(st.integers(10, 99)))
    digit = (lambda n: str(n)) if draw(st.booleans()) else (lambda n: CHINESE_DIGITS[n])
    return f"{a}万{digit(b)}千{digit(c)}百{d}", a * 10000 + b * 1000 + c * 100 + d


@SETTINGS
@given(mixed_numeral(), st.sampled_from(["元", "万元", "公里"]))
def test_mixed_numeral_resolves_to_its_value(numeral, unit):
    text, value = numeral
    label, factor, canonical_unit = {"元": ("MONEY", 1, "元"), "万元": ("MONEY", 10000, "元"),
                                     "公里": ("LENGTH", 1, "km")}[unit]
    q = resolve_quantity(label, text + unit)
    assert q is not None and (q.value, q.unit) == (Decimal(value) * factor, canonical_unit), (text, q)
    sentence = "补助资金" + text + unit + "。"
    [m] = [m for m in pipeline.extract(sentence) if m.type == label]
    assert (m.text, m.value) == (text + unit, Decimal(value) * factor)
    assert sentence[m.start:m.end] == m.text


RANGE_UNITS = [("万元", "MONEY", Decimal(10000), "元"), ("元", "MONEY", Decimal(1), "元"),
               ("公里", "LENGTH", Decimal(1), "km"), ("米", "LENGTH", Decimal("0.001"), "km"),
               ("%", "PERCENT", Decimal(1), "%"), ("个百分点", "PERCENT", Decimal(1), "百分点"),
               ("年", "DURATION", Decimal(1), "年"), ("天", "DURATION", Decimal(1), "天"),
               ("次", "COUNT", Decimal(1), "次"), ("个", "COUNT", Decimal(1), "个")]
amount = st.decimals(min_value=1, max_value=9999, places=1).map(lambda d: d.normalize())


@SETTINGS
@given(amount, amount, st.sampled_from(["-", "至", "~", "—", "到"]), st.sampled_from(RANGE_UNITS),
       st.sampled_from(["", "计划", "每公里补助"]))
def test_range_gives_low_and_high(x, y, sep, unit_row, lead):
    unit, label, factor, canonical_unit = unit_row
    assume(x < y and (label != "COUNT" or (x == x.to_integral_value() and y == y.to_integral_value())))
    # 2023-2025年, 67-92年 are years (a recogniser's rule), unless a cue says otherwise
    # (as written: Decimal('1.34E+3') is written 1340)
    assume(not (unit == "年" and any(v == v.to_integral_value() and len(f"{v:f}") in (2, 4) for v in (x, y))))
    text = f"{x:f}{sep}{y:f}{unit}"
    q = resolve_quantity(label, text)
    assert q is not None and (q.value, q.low, q.high, q.unit) == (None, x * factor, y * factor, canonical_unit), (text, q)
    sentence = lead + text + "。"
    found = [m for m in pipeline.extract(sentence) if m.type == label]
    assert [(m.text, m.value, m.extra.get("low"), m.extra.get("high")) for m in found] == \
        [(text, None, x * factor, y * factor)], sentence
    assert sentence[found[0].start:found[0].end] == text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(source):
    for m in pipeline.extract(source):
        assert source[m.start:m.end] == m.text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_never_raises_on_any_text_with_lines(source):
    source = source.replace("a", "\n").replace("b", "\t")
    for m in pipeline.extract(source):
        assert source[m.start:m.end] == m.text


STRESS = [
    ("digits-plain", "1" * 5000),
    ("digits-dots", "1." * 3000 + "5万元"),
    ("digits-money", "预算" + "1" * 5000 + "万元"),
    ("digits-money-30", "预算" + "1" * 30 + "元"),
    ("digits-wanyuan-25", "1" * 25 + "万元"),
    ("digits-percent", "9" * 40 + "%"),
    ("digits-count", "9" * 40 + "个"),
    ("digits-commas", "1" + ",000" * 2000 + "万元"),
    ("cn-digits-money", "九" * 3000 + "万元"),
    ("fullwidth-digits", "１" * 5000),
    ("spaced-digits", "3 " * 5000 + "万元"),
    ("brackets-deep", "〔" * 2000 + "2023" + "〕" * 2000 + "57号"),
    ("brackets-nested", "（" * 1000 + "张财预〔2023〕57号" + "）" * 1000),
    ("brackets-mixed", "（〔[【" * 1000 + "】]〕）" * 1000),
    ("long-line-mixed", ("预算资金30万元，张掖市交通运输局G30改造完成280公里。" * 400)[:10_000]),
    ("long-line-han", ("交通运输局" * 2000)[:10_000]),
    ("long-line-project", "公路" * 5000 + "工程"),
    ("long-line-company", "测" * 10_000 + "有限公司"),
    ("long-line-docno-prefix", "张" * 10_000 + "〔2023〕57号"),
    ("long-line-roads", "G1" * 5000),
    ("long-line-percent-words", "百分之" * 3333 + "九十"),
    ("many-lines", "资金\n" * 5000),
]


@pytest.mark.parametrize("source", [s for _, s in STRESS], ids=[name for name, _ in STRESS])
def test_stress_inputs_finish(source):
    mentions = pipeline.extract(source)
    for m in mentions:
        assert source[m.start:m.end] == m.text


def test_long_line_is_ten_thousand_characters():
    assert len(dict(STRESS)["long-line-mixed"]) == 10_000


# --- Traditional script, hostile growth, any bytes in any format ----------------------------

S2T = OpenCC("s2t")
QUANTITY_AND_ROAD = set(QUANTITY_TYPES) | {"ROAD"}


def _values(mentions) -> list[tuple]:
    return [(m.type, m.start, m.end, m.value, m.unit) for m in mentions if m.type in QUANTITY_AND_ROAD]


@SETTINGS
@given(mixed_text)
def test_traditional_script_gives_the_same_values_at_the_same_offsets(source):
    converted = S2T.convert(source)
    assume(simplified(converted) == source)  # s2t then t2s is not always the identity (复 -> 覆 -> 覆)
    mentions = pipeline.extract(converted)
    assert all(converted[m.start:m.end] == m.text for m in mentions)
    assert _values(mentions) == _values(pipeline.extract(source))


GROWING = {  # hostile text of n characters
    "digits": lambda n: "1" * n,
    "digits-money": lambda n: "预算" + "1" * n + "万元",
    "brackets": lambda n: "（〔" * (n // 2) + "张财预〔2023〕57号",
    "roads": lambda n: "G1" * (n // 2),
    "company": lambda n: "测" * n + "有限公司",  # a run jieba's HMM would take in quadratic time
    "percent-words": lambda n: "百分之" * (n // 3) + "九十",
    "spaced-digits": lambda n: "3 " * (n // 2) + "万元",
    "chinese-digits": lambda n: "一" * n,
    "chinese-tens": lambda n: "十" * n,
    "grouped-digits": lambda n: "123," * (n // 4),
    "digits-and-wan": lambda n: "1万" * (n // 2),
}


@pytest.mark.parametrize("make", list(GROWING.values()), ids=list(GROWING))
def test_hostile_text_takes_linear_time(make):
    """Eight times the text may take about eight times as long, never the sixty-four
    times a quadratic pattern would."""
    assert_linear(pipeline.extract, make, 2_500, times=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from(SUFFIXES),
       head=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><table><tr><td>", b"\xef\xbb\xbf", b"\xff\xfe"]),
       body=st.binary(max_size=2000))
def test_any_bytes_in_any_format_give_text_or_one_error(tmp_path, suffix, head, body):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(head + body)
    [result] = list(pipeline.extract_paths([path]))
    if result.error is None:
        text = result.document.text
        assert all(text[m.start:m.end] == m.text for m in result.mentions)
    else:
        assert result.error.path == str(path) and "\n" not in str(result.error)
