"""Search: AND of words, any run of characters, route words and codes, scripts, BM25, totals, kinds."""
from __future__ import annotations

import sqlite3

import pytest

from casetable import read_table
from pipeline.fulltext import index_text, match_expression, road_codes
from pipeline.ingest import ingest
from pipeline.search import KINDS, SearchFilters, facets, search
from pipeline.store import Store

CASES = read_table("search_match.tsv")


@pytest.fixture(scope="module")
def fts():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(words, tokenize='unicode61 remove_diacritics 0')")
    yield conn
    conn.close()


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['table']}:{c['line']}")
def test_match(fts, case):
    fts.execute("DELETE FROM t")
    fts.execute("INSERT INTO t (rowid, words) VALUES (1, ?)", (index_text(case["text"]),))
    expression = match_expression(case["query"])
    found = expression is not None and bool(fts.execute("SELECT 1 FROM t WHERE t MATCH ?", (expression,)).fetchall())
    assert found == (case["found"] == "yes"), (case["text"], case["query"], expression)


def test_punctuation_only_query_matches_nothing():
    assert match_expression(" ，。 ") is None


def test_road_codes_use_the_resolver():
    assert road_codes("省道215与国道324线、县道X016线交汇；国省道") == ["S215", "G324", "X016"]


DOCS = {
    "a.txt": "某市交通运输局2023年度公路养护项目支出绩效自评报告\n"
             "G569武仙公路肃南段完成投资12.53亿元，G213线元白二级公路完成投资3.56亿元。\n"
             "改造危桥3座，投资300万元。\n省道215西岭段改建18.6公里。\n",
    "b.txt": "某县交通运输局2024年度危桥改造项目支出绩效自评报告\n"
             "改造危桥5座，危桥改造投资800万元，危桥危桥。\n国省道养护资金到位500万元。\n",
    "c.txt": "東坪縣交通運輸局2023年度國省幹線公路養護工程項目支出績效自評報告\n完成養護里程120公里，投入資金450萬元。\n",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    with Store(folder / "kb.db") as s:
        ingest([folder], s)
        yield s


def test_every_word_must_match(store):
    hits = search(store, "G569 投资")
    assert hits and all("G569" in h["sentence"] and "投资" in h["sentence"] for h in hits)
    assert search(store, "G569 养护") == []


def test_route_words_find_codes_and_not_other_roads(store):
    hits = search(store, "S215")
    assert [h["sentence"] for h in hits] == [h["sentence"] for h in search(store, "省道215")]
    assert hits and all("省道215" in h["sentence"] for h in hits)


def test_simplified_query_finds_traditional_text(store):
    hits = search(store, "养护里程")
    assert hits and all(h["doc"] == "c.txt" for h in hits)


def test_bm25_puts_the_denser_match_first(store):
    hits = search(store, "危桥")
    assert hits[0]["doc"] == "b.txt"


def test_total_counts_beyond_the_page(store):
    every = search(store, "投资", SearchFilters(limit=100))
    page = search(store, "投资", SearchFilters(limit=1))
    assert len(page) == 1 and page.total == len(every) == every.total > 1
    second = search(store, "投资", SearchFilters(limit=1, offset=1))
    assert second.total == every.total and second[0]["id"] == every[1]["id"]


def test_filters_and_type_names(store):
    assert {h["type"] for h in search(store, "", SearchFilters(type="金额", limit=100))} == {"MONEY"}
    assert {h["year"] for h in search(store, "投资", SearchFilters(year=2024, limit=100))} == {2024}
    with pytest.raises(ValueError, match="金额"):
        search(store, "", SearchFilters(type="money bags"))


@pytest.mark.parametrize("kind, query, column, expected", [
    ("reports", "危桥改造", "title", "某县交通运输局2024年度危桥改造项目支出绩效自评报告"),
    ("reports", "东坪县 养护", "title", "東坪縣交通運輸局2023年度國省幹線公路養護工程項目支出績效自評報告"),
])
def test_reports_searchable(store, kind, query, column, expected):
    assert [h[column] for h in search(store, query, kind=kind)] == [expected]


def test_every_kind_searchable_and_unknown_kind_refused(store):
    for kind in KINDS:
        search(store, "投资", kind=kind)
    with pytest.raises(ValueError, match="unknown kind"):
        search(store, "x", kind="people")


def test_facets_count_matching_rows(store):
    found = facets(store, "危桥")
    years = dict(found["year"])
    assert sum(years.values()) == search(store, "危桥").total
    assert set(years) == {2023, 2024}


def test_cli_table_has_header_and_total(store, capsys):
    from pipeline.cli import main

    assert main(["search", "投资", "--db", store.path, "--limit", "1"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("数值\t主体") and len(lines) == 2
    assert f"1 of {search(store, '投资').total} facts" in err
    assert main(["search", "危桥", "--db", store.path, "--kind", "reports"]) == 0
    assert "危桥改造项目" in capsys.readouterr().out


def test_cli_unknown_type_is_one_line_error(store, capsys):
    from pipeline.cli import main

    assert main(["search", "", "--db", store.path, "--type", "BOGUS"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unknown type 'BOGUS'") and err.count("\n") == 1


def test_a_sentence_of_many_facts_is_indexed_whole_and_replaced_whole(tmp_path):
    from pipeline.store import SENTENCE_RUN, StoredDocument

    sentence = "，".join(f"第{n}段投资{n}万元" for n in range(1, 101))
    facts = [{"kind": "fact", "doc": "m.txt", "report": 0, "type": "MONEY", "subject": f"第{n}段", "predicate": "投资",
              "value": n * 10000, "unit": "元", "mention": [0, 1], "org": "某局", "year": 2020 if n <= 70 else 2021,
              "sentence": sentence} for n in range(1, 101)]
    with Store(tmp_path / "kb.db") as s:
        for _ in range(2):
            s.put(StoredDocument("/m.txt", "m.txt", "x", "utf-8", sentence, facts))
        rows = s.conn.execute("SELECT rowid % ? FROM fact_sentences_fts", (SENTENCE_RUN,)).fetchall()
        assert sorted(r[0] for r in rows) == [7, 30, 63]  # runs of one year, at most 63 facts each
        assert search(s, "投资", SearchFilters(limit=5)).total == 100
        hits = search(s, "投资", SearchFilters(year=2021, limit=100))
        assert hits.total == len(hits) == 30 and {h["year"] for h in hits} == {2021}
        assert search(s, "投资", SearchFilters(org="某", limit=1)).total == 100
        money = search(s, "投资", SearchFilters(type="金额", limit=3))  # counted in the index: tags x1 … x63
        assert money.total == 100 and [h["subject"] for h in money] == ["第1段", "第2段", "第3段"]
        assert search(s, "投资", SearchFilters(type="LENGTH", limit=3)).total == 0
        assert search(s, "投资", SearchFilters(org="别局", limit=1)).total == 0
        assert search(s, "第7段", SearchFilters(limit=1))[0]["subject"] == "第7段"


@pytest.mark.parametrize("filters", [SearchFilters(year=2023), SearchFilters(org="某县"), SearchFilters(type="MONEY"),
                                     SearchFilters(road="G569"), SearchFilters(year=2024, type="COUNT", org="交通")])
@pytest.mark.parametrize("query", ["投资", "危桥", "改造 投资"])
def test_filters_in_the_index_agree_with_the_rows(store, query, filters):
    every = search(store, query, SearchFilters(limit=1000))
    expected = {r["id"] for r in every
                if (filters.year is None or r["year"] == filters.year) and (filters.org is None or filters.org in (r["org"] or ""))
                and (filters.type is None or r["type"] == filters.type) and (filters.road is None or r["road"] == filters.road)}
    hits = search(store, query, SearchFilters(**{**filters.__dict__, "limit": 1000}))
    assert {h["id"] for h in hits} == expected and hits.total == len(expected)


def test_cli_takes_several_words_unquoted(store, capsys):
    from pipeline.cli import main

    assert main(["search", "G569", "投资", "--db", store.path]) == 0
    unquoted = capsys.readouterr()
    assert main(["search", "G569 投资", "--db", store.path]) == 0
    assert capsys.readouterr() == unquoted and len(unquoted.out.splitlines()) > 1
