"""The name rules' word lists scanned as a tree of shared beginnings (names._trie) match as
the plain longest-first alternation does: the same matches and groups, on the organisation
pattern itself and on any list."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import ModelError
from pipeline.recognize.names import _trie, rules
from pipeline.recognize.patterns import alternation
from pipeline.resources import lookup

ORG = lookup("names.org")
FUNCTIONS = ORG["functions"] + ORG["generic_functions"]
FORMS = ORG["strong"] + ORG["weak"]


def _core(words) -> re.Pattern[str]:
    """The organisation pattern of names.rules, its lists written by `words`."""
    return re.compile(rf"(?P<body>{words(FUNCTIONS)}(?:[和与]?{words(FUNCTIONS)}){{0,6}})"
                      rf"(?P<form>{words(FORMS)})(?!{alternation(ORG['form_not_followed_by'])})")


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


# texts made of the lists' own words and pieces of them, where a shorter word must be taken
# back for a longer one to fail (交通运输 + 局 against 交通 + 运输局)
pieces = st.sampled_from(FUNCTIONS + FORMS + ORG["form_not_followed_by"] + ["和", "与", "市", "的", "交", "通", "运"])


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=30).map("".join))
def test_the_organisation_scan_matches_as_its_alternation(text):
    assert _matches(rules().org_core, text) == _matches(_core(alternation), text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("abc", min_size=0, max_size=4), min_size=1, max_size=8),
       st.text("abcx", max_size=30))
def test_any_word_list_matches_as_its_alternation(words, text):
    # words in a chain with a follower, so that every way back is tried: a(?:ab)?… against a|ab|…
    def chain(write):
        return re.compile(f"(?P<a>{write(words)})(?P<b>{write(words)})x")
    assert _matches(chain(_trie), text) == _matches(chain(alternation), text)


def test_an_empty_word_list_is_refused():
    with pytest.raises(ModelError, match="names.yaml"):
        _trie([])
