"""The spaCy contract: components any spaCy user can add by name, span extensions,
a tokenizer that leaves the global jieba alone, disk round trips and multiprocessing."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import jieba
import pytest
import spacy

from pipeline.components import PIPES, SPANS_KEY, blank, load_nlp
from pipeline.recognize.mention import json_value

SENTENCE = "G569 武仙公路肃南段完成投资12.53亿元，资金到位率100%，张掖市交通运输局于2023年7月下达。"
EXPECTED = {("12.53亿元", "MONEY", 1253000000, "元"), ("100%", "PERCENT", 100, "%"), ("G569", "ROAD", "G569", "国道"),
            ("2023年7月", "DATE", "2023-07", None)}


def _spans(doc) -> set[tuple]:
    return {(s.text, s.label_, json_value(s._.value), s._.unit) for s in doc.spans[SPANS_KEY]}


def test_components_by_name_in_a_fresh_interpreter():
    """Entry points: spaCy finds the tokenizer and the components without `import pipeline`."""
    code = textwrap.dedent("""
        import spacy
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "jixiao.JiebaTokenizer.v1"}}})
        for name in ("jixiao_quantities", "jixiao_references", "jixiao_names"):
            nlp.add_pipe(name)
        doc = nlp("G569 武仙公路肃南段完成投资12.53亿元")
        print(sorted((s.label_, s.text, str(s._.value)) for s in doc.spans["jixiao"]))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "('MONEY', '12.53亿元', '1253000000')" in out
    assert "('ROAD', 'G569', 'G569')" in out and "'PROJECT'" in out


def test_span_extensions_carry_value_unit_and_op():
    doc = load_nlp()(SENTENCE)
    assert EXPECTED <= _spans(doc)
    money = next(s for s in doc.spans[SPANS_KEY] if s.label_ == "MONEY")
    assert money._.op is None and doc._.jixiao_mentions


def test_global_jieba_is_left_alone():
    load_nlp()("资金到位率100%")  # loads jixiao's own dictionary
    assert "资金到位率" not in jieba.lcut("资金到位率100%")  # a word only jixiao's dictionary has
    assert "资金到位率" in [t.text for t in load_nlp()("资金到位率100%")]


def test_round_trip_through_disk(tmp_path):
    nlp = blank()
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    nlp.to_disk(tmp_path / "nlp")
    again = spacy.load(tmp_path / "nlp")
    assert again.pipe_names == list(PIPES)
    assert _spans(again(SENTENCE)) == _spans(nlp(SENTENCE))


@pytest.mark.slow
def test_pipe_in_two_processes_gives_the_same_spans():
    nlp = load_nlp()
    texts = [SENTENCE, "全面完成 280 公里自然村通硬化路、3 座危桥改造。", "预算执行率百分之九十八点五"] * 2
    one = [_spans(d) for d in nlp.pipe(texts)]
    two = [_spans(d) for d in nlp.pipe(texts, n_process=2)]
    assert one == two


def test_doc_ents_hold_non_overlapping_mentions_for_displacy():
    from spacy import displacy

    doc = load_nlp()(SENTENCE)
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("12.53亿元", "MONEY") in ents and ("2023年7月", "DATE") in ents
    assert all(a.end <= b.start for a, b in zip(doc.ents, doc.ents[1:]))
    page = displacy.render(doc, style="ent")
    assert "12.53亿元" in page and "MONEY" in page


def test_components_declare_what_they_assign_and_require():
    nlp = blank()
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    summary = nlp.analyze_pipes(pretty=False)
    assert all("doc.ents" in summary["summary"][p]["assigns"] for p in PIPES)
    assert summary["summary"]["jixiao_names"]["requires"] == ["doc._.jixiao_mentions"]
    assert not any(summary["problems"].values())


def test_rules_travel_with_to_disk(tmp_path):
    from pipeline.errors import ModelError

    nlp = blank()
    nlp.add_pipe("jixiao_quantities")
    nlp.to_disk(tmp_path / "nlp")
    saved = tmp_path / "nlp" / "jixiao_quantities" / "units.yaml"
    assert saved.is_file() and (tmp_path / "nlp" / "jixiao_quantities" / "patterns.yaml").is_file()
    spacy.load(tmp_path / "nlp")  # the same rules: loads
    saved.write_text(saved.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    with pytest.raises(ModelError, match="units.yaml"):
        spacy.load(tmp_path / "nlp")


def test_the_batch_path_finds_what_the_spacy_pipeline_finds(corpus_dir, sample_text):
    """extract/ingest call the recognisers without a Doc and segment only the clauses the
    name rules read (issue 17): their mentions are the components' on the same text."""
    from pipeline.extract import analyse

    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))]
    texts.append("G569 武仙公路肃南段 完成投资12.53亿元\r\n张掖市交通运输局  下达\t资金30万元，S216线\u3000改造。")
    nlp = load_nlp(set_spans=False)
    for text in texts:
        analysis = analyse(text)
        assert nlp(analysis.norm.text)._.jixiao_mentions == analysis.mentions, text[:40]
