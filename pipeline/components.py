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

import shutil
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

import spacy
import srsly
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .errors import ModelError
from .recognize import select
from .recognize.mention import Mention
from .recognize.names import find_orgs, find_projects
from .recognize.quantities import find_quantities
from .recognize.references import ReferenceYears, find_references
from .resources import model_path, models_dir
from .segment import Tokens
from .segment import create_tokenizer  # noqa: F401  (registers jixiao.JiebaTokenizer.v1)

SPANS_KEY = "jixiao"
TEXT_KEY = "jixiao_text"
TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "jixiao.JiebaTokenizer.v1"}}}
PIPES = ("jixiao_quantities", "jixiao_references", "jixiao_names")

for _name in ("value", "unit", "op"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
for _name in ("jixiao_mentions", "reference_years", "text_offset"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

# Docs travel as msgpack (nlp.pipe(n_process=…), Doc.to_bytes): these encoders carry the
# extension values jixiao stores (exact Decimals, mentions, reference years) across.
_DECIMAL, _MENTION, _YEARS = "jixiao.decimal", "jixiao.mention", "jixiao.years"


def _encode(obj: Any, chain: Callable | None = None) -> Any:
    if isinstance(obj, Decimal):
        return {_DECIMAL: str(obj)}
    if isinstance(obj, Mention):
        return {_MENTION: [obj.type, obj.start, obj.end, obj.text, obj.value, obj.unit, obj.op, obj.extra]}
    if isinstance(obj, ReferenceYears):
        return {_YEARS: [obj.default, obj.positions, obj.years]}
    return obj if chain is None else chain(obj)


def _decode(obj: Any, chain: Callable | None = None) -> Any:
    if isinstance(obj, dict) and len(obj) == 1:
        if _DECIMAL in obj:
            return Decimal(obj[_DECIMAL])
        if _MENTION in obj:
            return Mention(*obj[_MENTION])
        if _YEARS in obj:
            return ReferenceYears(*obj[_YEARS])
    return obj if chain is None else chain(obj)


srsly.msgpack_encoders.register("jixiao", func=_encode)
srsly.msgpack_decoders.register("jixiao", func=_decode)


def doc_text(doc: Doc) -> str:
    """`doc.text` joins every token anew on each call; keep it once per Doc
    (the caller that made the Doc may have put its text there already)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def doc_tokens(doc: Doc) -> Tokens:
    """Token boundaries read from the Doc's arrays, without making Token objects."""
    array = doc.to_array([IDX, LENGTH])
    return Tokens(array[:, 0].tolist(), (array[:, 0] + array[:, 1]).tolist())


def _add(doc: Doc, mentions: list[Mention], set_spans: bool) -> Doc:
    doc._.jixiao_mentions = select(mentions, doc._.jixiao_mentions)
    if set_spans:
        spans = []
        for m in doc._.jixiao_mentions:
            span = doc.char_span(m.start, m.end, label=m.type, alignment_mode="expand")
            if span is not None:
                span._.value, span._.unit, span._.op = m.value, m.unit, m.op
                spans.append(span)
        doc.spans[SPANS_KEY] = spans
        # doc.ents cannot overlap: the longest of overlapping spans, as displaCy's users expect
        doc.ents = filter_spans(spans)
    return doc


class _Recognizer:
    """Common settings: `set_spans=False` leaves doc.spans and doc.ents alone and keeps
    only doc._.jixiao_mentions, for callers (such as pipeline.extract) that read those.

    The rules are models/ files (patterns, units, cues, lexicons): `to_disk` writes a
    copy of them beside the component, and `from_disk` refuses to load a pipeline whose
    rules differ from those this jixiao runs on, naming the file, rather than giving
    other results than the saved pipeline gave."""

    def __init__(self, nlp: Language, name: str, *, set_spans: bool = True):
        self.name = name
        self.set_spans = set_spans

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        for model in sorted(models_dir().iterdir()):
            if model.is_file():
                shutil.copyfile(model, folder / model.name)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "_Recognizer":
        for saved in sorted(Path(path).iterdir()):
            if saved.is_file() and saved.read_bytes() != model_path(saved.name).read_bytes():
                raise ModelError(saved.name, f"the pipeline at {path} was saved with other rules than this jixiao's"
                                             f" models/{saved.name}")
        return self


class QuantityRecognizer(_Recognizer):
    def __call__(self, doc: Doc) -> Doc:
        return _add(doc, find_quantities(doc_text(doc)), self.set_spans)


class ReferenceRecognizer(_Recognizer):
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        years = doc._.reference_years or ReferenceYears.of(text)
        offset = doc._.text_offset or 0
        return _add(doc, find_references(text, years.shifted(offset)), self.set_spans)


class NameRecognizer(_Recognizer):
    def __call__(self, doc: Doc) -> Doc:
        text, tokens = doc_text(doc), doc_tokens(doc)
        doc = _add(doc, find_orgs(text, tokens), False)
        return _add(doc, find_projects(text, tokens, doc._.jixiao_mentions), self.set_spans)


# What each component sets (spaCy's `nlp.analyze_pipes()` reports it).
_ASSIGNS = ["doc.ents", "doc.spans", "doc._.jixiao_mentions", "span._.value", "span._.unit", "span._.op"]


@Language.factory("jixiao_quantities", default_config={"set_spans": True}, assigns=_ASSIGNS, requires=[])
def make_quantities(nlp: Language, name: str, set_spans: bool) -> QuantityRecognizer:
    return QuantityRecognizer(nlp, name, set_spans=set_spans)


@Language.factory("jixiao_references", default_config={"set_spans": True}, assigns=_ASSIGNS, requires=[])
def make_references(nlp: Language, name: str, set_spans: bool) -> ReferenceRecognizer:
    return ReferenceRecognizer(nlp, name, set_spans=set_spans)


@Language.factory("jixiao_names", default_config={"set_spans": True}, assigns=_ASSIGNS,
                  requires=["doc._.jixiao_mentions"])
def make_names(nlp: Language, name: str, set_spans: bool) -> NameRecognizer:
    return NameRecognizer(nlp, name, set_spans=set_spans)


def blank() -> Language:
    """`spacy.blank("zh")` with jixiao's own jieba tokenizer and no pipes."""
    return spacy.blank("zh", config=TOKENIZER_CONFIG)


@lru_cache(maxsize=2)
def load_nlp(set_spans: bool = True) -> Language:
    """The full recogniser pipeline, built once per process."""
    nlp = blank()
    for pipe in PIPES:
        nlp.add_pipe(pipe, config={"set_spans": set_spans})
    return nlp
