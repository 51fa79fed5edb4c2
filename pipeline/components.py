"""spaCy components: the recognisers as pipes on `spacy.blank("zh")`.

    nlp = jixiao.components.blank()            # zh with jixiao's jieba tokenizer
    nlp.add_pipe("jixiao_quantities")          # MONEY PERCENT LENGTH DURATION COUNT
    nlp.add_pipe("jixiao_references")          # DATE DOCNO ROAD
    nlp.add_pipe("jixiao_names")               # ORG PROJECT
    doc = nlp("G569 武仙公路肃南段完成投资12.53亿元")
    [(s.text, s.label_, s._.value, s._.unit) for s in doc.spans["jixiao"]]

Offsets come from the regex matches on `doc.text`; the spans in
`doc.spans["jixiao"]` are grown to whole tokens (alignment_mode="expand"), the
exact ones are the Mention objects in `doc._.jixiao_mentions`.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .recognize import select
from .recognize.mention import Mention
from .recognize.names import Tokens, find_orgs, find_projects
from .recognize.quantities import find_quantities
from .recognize.references import ReferenceYears, find_references
from .segment import create_tokenizer  # noqa: F401  (registers jixiao.JiebaTokenizer.v1)

SPANS_KEY = "jixiao"
TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "jixiao.JiebaTokenizer.v1"}}}
PIPES = ("jixiao_quantities", "jixiao_references", "jixiao_names")

for _name in ("value", "unit", "op"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
for _name in ("jixiao_mentions", "reference_years", "text_offset"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _add(doc: Doc, mentions: list[Mention]) -> Doc:
    doc._.jixiao_mentions = select((doc._.jixiao_mentions or []) + mentions)
    spans = []
    for m in doc._.jixiao_mentions:
        span = doc.char_span(m.start, m.end, label=m.type, alignment_mode="expand")
        if span is not None:
            span._.value, span._.unit, span._.op = m.value, m.unit, m.op
            spans.append(span)
    doc.spans[SPANS_KEY] = spans
    return doc


class QuantityRecognizer:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        return _add(doc, find_quantities(doc.text))


class ReferenceRecognizer:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        years = doc._.reference_years or ReferenceYears(doc.text)
        offset = doc._.text_offset or 0
        return _add(doc, find_references(doc.text, years.shifted(offset)))


class NameRecognizer:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        tokens = Tokens([(t.idx, t.idx + len(t.text)) for t in doc])
        orgs = find_orgs(doc.text, tokens)
        doc = _add(doc, orgs)
        return _add(doc, find_projects(doc.text, tokens, doc._.jixiao_mentions))


@Language.factory("jixiao_quantities")
def make_quantities(nlp: Language, name: str) -> QuantityRecognizer:
    return QuantityRecognizer(nlp, name)


@Language.factory("jixiao_references")
def make_references(nlp: Language, name: str) -> ReferenceRecognizer:
    return ReferenceRecognizer(nlp, name)


@Language.factory("jixiao_names")
def make_names(nlp: Language, name: str) -> NameRecognizer:
    return NameRecognizer(nlp, name)


def blank() -> Language:
    """`spacy.blank("zh")` with jixiao's own jieba tokenizer and no pipes."""
    return spacy.blank("zh", config=TOKENIZER_CONFIG)


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The full recogniser pipeline, built once per process."""
    nlp = blank()
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    return nlp
