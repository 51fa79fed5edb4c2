"""A small store for the web and browser tests: the sample report, a report with a
table of indicators, a document that tries to inject script, a Traditional one."""
from __future__ import annotations

from pathlib import Path

from pipeline.ingest import ingest
from pipeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert(1)</script>"
DOCS = {
    "bridges.txt": "某县交通运输局2023年度危桥改造项目支出绩效自评报告\n"
                   "一、项目基本情况\n全年改造危桥5座，危桥改造完成投资800万元。\n"
                   "G569武仙公路肃南段2022年完成投资3.2亿元。\n",
    "hostile.txt": f"某县交通运输局2023年度{SCRIPT}项目支出绩效自评报告\n"
                   f"危桥改造完成投资120万元{SCRIPT}<img src=x onerror=alert(2)>。\n",
    "trad.txt": "東坪縣交通運輸局2023年度國省幹線公路養護工程項目支出績效自評報告\n完成養護里程120公里，投入資金450萬元。\n",
    "table.txt": "2023年度项目支出绩效自评表\n项目名称 农村公路提档升级工程\n主管部门 南岭市交通运输局\n"
                 "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因及改进措施\n"
                 "产出指标 数量指标 县乡道提档升级改造里程 46公里 43.5公里 10 10 受征地拆迁影响未能实施。\n"
                 "危桥改造数量 3座 3座 8 8\n总分 18 18\n",
}


def build(folder: Path) -> Path:
    """The store `folder`/kb.db with the sample report and DOCS."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder / "kb.db"
    with Store(db) as store:
        ingest([ROOT / "corpus" / "zhangye_transport_2023.txt", *sorted(folder.glob("*.txt"))], store)
    return db
