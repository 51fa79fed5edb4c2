"""models/patterns.yaml: every pattern compiles, every hole is known, and the
loader rejects what it cannot fill."""
from __future__ import annotations

import pytest
import regex

from pipeline.errors import ModelError
from pipeline.recognize.guard import Guarded
from pipeline.recognize.mention import MENTION_TYPES
from pipeline.recognize.patterns import (
    PATTERN_FILE,
    _HOLE,
    alternation,
    compiled_patterns,
    expand,
    first_characters,
    lexicon_words,
    quantity_scan,
    references,
)
from pipeline.resolve.quantities import QUANTITY_TYPES
from pipeline.resources import load_yaml, lookup

SPEC = load_yaml(PATTERN_FILE)
PATTERNS = [(label, i, p) for label, pats in SPEC["patterns"].items() for i, p in enumerate(pats)]


def test_every_pattern_compiles():
    compiled = compiled_patterns()
    assert set(compiled) == set(SPEC["patterns"])
    for label, pats in compiled.items():
        assert len(pats) == len(SPEC["patterns"][label])
        assert all(isinstance(p, Guarded) and isinstance(p.compiled, regex.Pattern) for p in pats)


@pytest.mark.parametrize("label,index,pattern", PATTERNS, ids=[f"{lab}-{i}" for lab, i, _ in PATTERNS])
def test_pattern_expands_fully_and_names_its_span(label, index, pattern):
    expanded = expand(pattern)
    assert not _HOLE.search(expanded), f"a hole is left in {label}[{index}]"
    compiled = regex.compile(expanded)
    assert "q" in compiled.groupindex, f"{label}[{index}] has no group `q` for the mention's span"


def test_labels_are_mention_types():
    assert set(SPEC["patterns"]) <= set(MENTION_TYPES)


@pytest.mark.parametrize("name", sorted(references()), ids=sorted(references()))
def test_every_reference_compiles(name):
    regex.compile(expand("{" + name + "}"))


def test_every_reference_is_used():
    used: set[str] = set()
    for _label, _i, pattern in PATTERNS:
        used.update(_HOLE.findall(pattern))
    for body in references().values():
        used.update(_HOLE.findall(body))
    used.update(built["skip"] for built in SPEC["character_classes"].values())
    assert set(references()) - used == set()


def test_combined_scanner_compiles():
    scan = quantity_scan(QUANTITY_TYPES)
    assert [label for label, _slots in scan._by_alternative.values()] == \
        [lab for lab in QUANTITY_TYPES for _ in SPEC["patterns"][lab]]
    assert [label for label, _match in scan.finditer("预算30万元", False)] == ["MONEY"]


def _scan_texts(sample_text: str) -> list[str]:
    beyond = "".join(chr(cp) for cp in (0x10D41, 0x116D5, 0x1D7D0, 0x20001, 0x1E5F3))
    return [_probe_text(unit) for unit in _unit_words()] + [
        sample_text,
        "不低于\n5%，约\n30万元，数\n十万元",                      # a comparator or hedge on the line before
        "预算" + "1" * 1500 + "万元\n" + "约30万元，" * 300,          # lines longer than the untimed span
        "预算𐵁万元，" + beyond + "3个" + "，".join(c + "5公里" for c in beyond),
    ]


def test_scan_finds_what_the_patterns_find(sample_text):
    """The scan on `re` (each pattern's comparator and hedge read behind it apart) finds the
    matches, types and groups that the patterns as written find on `regex`, in one pattern."""
    patterns = [(label, p) for label in QUANTITY_TYPES for p in SPEC["patterns"][label]]
    written = regex.compile("|".join(f"(?P<alt{k}>{expand(p)})" for k, (_label, p) in enumerate(patterns)))
    scan = quantity_scan(QUANTITY_TYPES)
    for text in _scan_texts(sample_text):
        expected = []
        for match in written.finditer(text):
            label = next(lab for k, (lab, _p) in enumerate(patterns) if match.group(f"alt{k}") is not None)
            expected.append((label, match.span(), {k: v for k, v in match.groupdict().items() if v and "alt" not in k}))
        wide = any(ord(c) > 0xFFFF for c in text)
        found = [(label, m.span(), {k: v for k, v in m.groups.items() if v}) for label, m in scan.finditer(text, wide)]
        assert found == expected, text[:40]
        # each pattern alone, as the fallback reads them: once per label and set of groups in
        # each text (every such match again would only repeat the check, at minutes of test time)
        shapes = {(label, tuple(groups)): (label, span, groups) for label, span, groups in reversed(found)}
        for label, span, groups in shapes.values():
            alone = list(scan.matches(label, text, span[0], wide))
            assert alone and alone[0].span() == span and {k: v for k, v in alone[0].groups.items() if v} == groups


# The scan's two shortcuts change no match: QuantityAhead only skips positions where no
# quantity can start, and the atomic ArabicNumber only spares trying shorter readings of
# the digits. Every quantity pattern finds the same matches with them and without them,
# for every unit word in the lexicons.

NUMBERS = ["12", "1,200", "1,20", "12.5", "3.", "1.2.3", "十二", "两万", "百", "3亿5千万", "壹亿贰仟", "2万5000",
           "2 318.45", "5-10", "5万-10万", "三四", "-5.2", "负3", "半"]
BEFORE = ["", "约", "不低于", "统一", "第", "数", "5元至"]
AFTER = ["", "以上", "。", "人", "5", "A"]


def _unit_words() -> list[str]:
    built = SPEC["character_classes"]["UnitStart"]["words"]
    return sorted({str(word) for source in built for word in lexicon_words(source)} | {"万", "亿", "千", "年半", "个半月"})


def _probe_text(unit: str) -> str:
    return "，".join(f"{before}{number}{hedge}{space}{unit}{after}" for number in NUMBERS for hedge in ("", "余", "多")
                     for space in ("", " ") for before in BEFORE for after in AFTER)


def _matches(pattern: str, text: str) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in regex.finditer(pattern, text)]


@pytest.mark.parametrize("label", QUANTITY_TYPES)
def test_scan_shortcuts_change_no_match(label, sample_text):
    assert references()["ArabicNumber"].startswith("(?>")
    unguarded = dict(references(), QuantityAhead="", ArabicNumber="(?:" + references()["ArabicNumber"][3:])
    texts = [_probe_text(unit) for unit in _unit_words()]
    texts.append(sample_text)
    for pattern in SPEC["patterns"][label]:
        fast, full = expand(pattern), expand(pattern, unguarded)
        assert fast != full
        for text in texts:
            assert _matches(fast, text) == _matches(full, text), text[:40]


def test_first_characters_skip_number_characters():
    assert first_characters(["万元", "个", "万", "百分之"], "[万百]") == "[个元分]"
    with pytest.raises(ModelError):
        first_characters(["万"], "万")


# expand() with a fake table: holes filled recursively, unknown ones rejected.

FAKE = {"Digit": r"\d", "Number": r"{Digit}+", "Money": r"{Number}元", "Loop": r"{Loop}"}


def test_expand_fills_nested_holes():
    assert expand("{Money}", FAKE) == r"\d+元"


def test_expand_leaves_quantifiers_and_properties_alone():
    assert expand(r"\p{Han}{Digit}{2,4}", FAKE) == r"\p{Han}\d{2,4}"


def test_unknown_hole_raises_model_error():
    with pytest.raises(ModelError, match=r"unknown reference \{Missing\}"):
        expand("{Number}{Missing}", FAKE)


def test_unknown_hole_inside_a_reference_raises_model_error():
    with pytest.raises(ModelError, match="Nowhere"):
        expand("{Outer}", {"Outer": "a{Nowhere}b"})


def test_error_names_the_file():
    with pytest.raises(ModelError, match=r"models/patterns\.yaml"):
        expand("{Missing}", FAKE)


def test_self_reference_raises_model_error():
    with pytest.raises(ModelError, match="nest too deep"):
        expand("{Loop}", FAKE)


def test_alternation_longest_first_and_escaped():
    alt = alternation(["元", "万元", "万亿元", "a.b"])
    assert alt.index("万亿元") < alt.index("万元") < alt.index("|元")
    assert regex.match(alt, "万亿元整").group() == "万亿元"
    assert regex.fullmatch(alt, "a.b") and not regex.fullmatch(alt, "axb")


def test_empty_lexicon_raises_model_error():
    with pytest.raises(ModelError):
        alternation([])
