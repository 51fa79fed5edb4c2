"""Reports: splitting a document, the title block, money trail, score, signature and sections."""
from __future__ import annotations

import pytest

from casetable import read_table
from pipeline.structure import parse_reports
from timing import assert_linear


def doc(*lines: str) -> str:
    return "\n\n".join(lines) + "\n"


CASES = [
    (
        "org line above, title with spaces, money trail in 资金投入 section",
        doc(
            "甘州区交通运输局",
            "甘州区交通运输局 2023年度农村公路日常养护 项目支出绩效自评报告",
            "一、项目基本情况",
            "（一）项目概况。全区农村公路总里程1200公里。",
            "二、绩效目标完成情况分析",
            "（一）资金投入情况分析",
            "1. 项目资金到位情况分析。当年预算资金 120 万元，到位 120 万元，资金到位率 100%。",
            "2. 项目资金执行情况分析。至 2023 年底使用 118.5 万元，预算执行率 98.75%。",
            "三、偏离绩效目标的原因和下一步改进措施",
            "项目自评得分 96.5 分。",
            "甘州区交通运输局",
            "2024年1月15日",
        ),
        dict(title="甘州区交通运输局2023年度农村公路日常养护项目支出绩效自评报告", org="甘州区交通运输局", year=2023,
             project="农村公路日常养护", budget=1200000, received=1200000, spent=1185000, execution_rate=98.75,
             self_score=96.5, signed="2024-01-15"),
    ),
    (
        "文件 header, document number and 签发人 above the title; 拨付/执行数 predicates",
        doc(
            "酒泉市邮政管理局文件",
            "酒邮管发〔2024〕3号",
            "签发人：张三",
            "酒泉市邮政管理局 2023年度快递末端网点监管经费项目支出绩效 自评报告",
            "酒泉市财政局：",
            "一、项目基本情况",
            "市财政局安排预算经费8万元，实际拨付8万元，全年执行数7.6万元，项目经费执行率95%，自评分值92分。",
            "二、其他需要说明的问题",
            "无",
            "酒泉市邮政管理局",
            "2024年2月6日",
        ),
        dict(title="酒泉市邮政管理局2023年度快递末端网点监管经费项目支出绩效自评报告", org="酒泉市邮政管理局",
             project="快递末端网点监管经费", budget=80000, received=80000, spent=76000, execution_rate=95,
             self_score=92, signed="2024-02-06"),
    ),
    (
        "title without organisation (org from the line above), spent in full without a figure",
        doc(
            "某市交通运输综合行政执法支队",
            "2023年度治超站运行经费 项目支出绩效自评报告",
            "一、项目基本情况",
            "（一）项目概况",
            "涉及项目总资金12万元。",
            "二、绩效目标完成情况分析",
            "（一）资金投入情况",
            "1. 2023年项目资金足额到位，共收到12万元财政专项资金。",
            "2. 截止2023年12月31日，全额完成专项资金的使用。",
        ),
        dict(title="2023年度治超站运行经费项目支出绩效自评报告", org="某市交通运输综合行政执法支队", year=2023,
             project="治超站运行经费", budget=120000, received=120000, spent=120000, execution_rate=None,
             self_score=None, signed=None),
    ),
    (
        "title broken over two lines",
        doc(
            "陇南市公路事业发展中心2023年度国省干线公路",
            "预防性养护工程项目支出绩效自评报告",
            "一、项目基本情况",
            "项目预算资金 3,600 万元。",
        ),
        dict(title="陇南市公路事业发展中心2023年度国省干线公路预防性养护工程项目支出绩效自评报告",
             org="陇南市公路事业发展中心", project="国省干线公路预防性养护工程", budget=36000000, received=None),
    ),
]


@pytest.mark.parametrize("case_id, text, expected", CASES, ids=[c[0] for c in CASES])
def test_report_fields(case_id: str, text: str, expected: dict) -> None:
    reports = parse_reports(text, "case.txt")
    assert len(reports) == 1
    rec = reports[0].record()
    for key, value in expected.items():
        assert rec[key] == value, (key, rec[key], value)
    assert rec["kind"] == "report" and rec["report"] == 0


def test_several_reports_split_at_title_blocks_with_source_offsets() -> None:
    a = doc("甲局", "甲局 2023年度项目一项目支出绩效自评报告", "一、项目基本情况", "预算 10 万元。", "甲局", "2024年1月2日")
    b = doc("乙局文件", "乙发〔2024〕1号", "乙局2022年度项目二项目支出绩效自评报告", "一、项目基本情况", "无")
    text = "\n\n" + a + "\n\n" + b
    reports = parse_reports(text, "two.txt")
    assert [r.report for r in reports] == [0, 1]
    assert [r.year for r in reports] == [2023, 2022]
    assert reports[0].start == text.index("甲局")
    assert reports[0].end == reports[1].start == text.index("乙局文件")
    assert reports[1].end == len(text)
    assert reports[0].signed == "2024-01-02" and reports[1].signed is None


def test_one_report_without_a_title_gives_one_record() -> None:
    # without a title the kind of report is unknown (其他): its amounts fill no project's money trail
    text = doc("一、项目基本情况", "当年预算资金 5 万元，到位 5 万元。")
    reports = parse_reports(text, "plain.txt")
    assert len(reports) == 1
    r = reports[0].record()
    assert r["title"] is None and r["category"] == "其他" and r["budget"] is None and r["received"] is None
    assert r["start"] == 0 and r["end"] == len(text)
    titled = parse_reports(doc("某局2023年度某项目项目支出绩效自评报告", text), "titled.txt")[0]
    assert titled.category == "项目自评" and titled.budget == 50000 and titled.received == 50000


def test_section_tree_numbers_headings_and_offsets() -> None:
    text = doc(
        "某局2023年度某项目项目支出绩效自评报告",
        "一、项目基本情况",
        "(一) 项目概况",
        "正文。",
        "二、绩效目标完成情况分析",
        "（三）绩效目标完成情况分析",
        "1. 产出指标完成情况分析。",
        "（1）数量指标。完成 3 座。",
        "(2) 质量指标。合格。",
        "2. 效益指标完成情况分析",
        "三、其他需要说明的问题",
    )
    sections = parse_reports(text, "s.txt")[0].sections
    got = [(s.number, s.heading) for s in sections]
    assert got == [
        ("一、", "项目基本情况"), ("一、(一)", "项目概况"), ("二、", "绩效目标完成情况分析"),
        ("二、(三)", "绩效目标完成情况分析"), ("二、(三)1.", "产出指标完成情况分析"),
        ("二、(三)1.(1)", "数量指标"), ("二、(三)1.(2)", "质量指标"), ("二、(三)2.", "效益指标完成情况分析"),
        ("三、", "其他需要说明的问题"),
    ]
    for s in sections:
        assert text[s.start:].startswith(s.number[-2:] if s.number.endswith("、") else text[s.start])
    one = sections[0]
    assert one.end == sections[2].start  # 一、 runs to 二、
    assert sections[4].end == sections[7].start  # 1. runs over (1) (2) to 2.
    assert sections[-1].end == len(text)


def test_self_score_falls_back_to_the_total_row_of_the_indicator_table() -> None:
    text = doc(
        "某市公路事业发展中心2023年度危桥改造项目支出绩效自评报告",
        "一、绩效目标完成情况分析",
        "\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t未完成原因",
        "\t产出指标\t数量指标\t危桥改造数量\t≥25座\t25座\t10\t10\t",
        "总分\t\t\t\t\t\t100\t97\t",
    )
    assert parse_reports(text, "t.txt")[0].self_score == 97


@pytest.mark.parametrize("case", read_table("structure_reports.tsv"), ids=lambda c: c["id"])
def test_report_fields_case_table(case: dict) -> None:
    reports = parse_reports(case["text"], "case.txt")
    record = reports[0].record()
    if "attachment" in case["id"] or "caption" in case["id"]:
        assert len(reports) == 1
    for pair in case["expect"].split(";"):
        key, _, value = pair.partition("=")
        want: object = None if value == "None" else value
        got = record[key]
        if isinstance(got, (int, float)) and want is not None:
            assert float(got) == float(value), (case["line"], key, got, want)
        else:
            assert got == (int(value) if key == "year" and want is not None else want), (case["line"], key, got, want)


STRUCTURE_GROWING = {  # a titled report whose body is n characters of one hostile line, no stop
    "amounts": lambda n: "预算资金30万元到位" * (n // 10),
    "cues-only": lambda n: "年初预算全年预算实际支出" * (n // 12),
    "glued-header-words": lambda n: "指标名称计量单位指标性质" + "年初指标值全年完成值" * (n // 10),
    "pipe-cells": lambda n: "| 项目名称 " * (n // 7),
    "one-cell-lines": lambda n: "三级指标 |\n指标值 |\n得分 |\n" + "100% |\n" * (n // 7),
    "level-lines": lambda n: "三级指标\n指标值\n得分\n" + "产出指标\n" * (n // 5),
    "header-word-lines": lambda n: "得分\n" * (n // 3),
    "glued-digits": lambda n: "指标名称计量单位指标性质年初指标值全年完成值指标权重(分)指标得分(分)\n检查次数次定量指标" + "1" * n,
    "glued-total-digits": lambda n: "指标名称计量单位指标性质年初指标值全年完成值指标权重(分)指标得分(分)\n自评总分" + "1" * n,
    "titles-and-amounts": lambda n: "某局2023年度某项目项目支出绩效自评报告\n预算资金5万元。\n" * (n // 30),
    "short-lines-before-titles": lambda n: ("甲\n" * 200 + "某项目自评报告\n") * (n // 408),
    "tab-continuations": lambda n: "一级指标\t三级指标\t年度指标值\t分值\t得分\n" + "续写的指标名称\n" * (n // 8),
    # a reader that skips to line j or mention k by walking from the first (itertools.islice)
    # does so at every row: quadratic in one long report
    "wrapped-tab-rows": lambda n: "一级指标\t三级指标\t年度指标值\t分值\t得分\n" + "产出指标\t数量\t100%\t5\t5\n续写\n" * (n // 20),
    "blank-lines-between-cells": lambda n: "三级指标\n指标值\n得分\n" + "100%\n\n" * (n // 6),
    "blank-lines-in-a-cell-table": lambda n: "三级指标\n指标值\n得分\n100%\n" + "\n" * n + "100%\n",
    "funds-sections": lambda n: "一、资金情况\n预算资金5万元。\n" * (n // 17),
    "money-rows": lambda n: "年度资金总额\t5\t5\n" * (n // 11),
    # a row still open (no value yet) that line after line of another layout continues:
    # joined one at a time, each re-read the whole grown cell
    "wrapped-lines-of-an-open-row": lambda n: "一级指标\t三级指标\t年度指标值\t分值\t得分\n产出指标\t数量\n" + "续写\n" * (n // 3),
    "wrapped-space-lines-of-an-open-row": lambda n: "一级指标  三级指标  年度指标值  分值  得分\n产出指标  数量\n" + "续写\n" * (n // 3),
    "tab-lines-of-an-open-row": lambda n: "一级指标\t三级指标\t年度指标值\t分值\t得分\n产出指标\t数量\n" + "续写\t\n" * (n // 4),
    "pipe-lines-of-an-open-row": lambda n: "| 一级指标 | 三级指标 | 年度指标值 | 分值 | 得分 |\n| 产出指标 | 数量 | | | |\n" + "| 续写 | | | | |\n" * (n // 18),
}


@pytest.mark.parametrize("make", list(STRUCTURE_GROWING.values()), ids=list(STRUCTURE_GROWING))
def test_structure_takes_linear_time(make):
    """Reports, their forms and tables over a 60 KB line: eight times the text may take
    about eight times as long, never the sixty-four times of a quadratic scan."""
    from pipeline.extract import analyse
    from pipeline.structure import parse_indicators

    def analysed(n: int):
        text = "某局2023年度某项目项目支出绩效自评报告\n" + make(n) + "\n"
        return text, analyse(text)

    def structure(analysed_text) -> None:
        text, analysis = analysed_text
        reports = parse_reports(text, "long.txt", analysis.norm, mentions=analysis.mentions)
        parse_indicators(text, "long.txt", reports)

    assert_linear(structure, analysed, 7_500, times=8)
