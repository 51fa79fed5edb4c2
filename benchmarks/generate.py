"""Generate synthetic budget-performance self-evaluation reports for scale tests.

    python benchmarks/generate.py --reports 10000 --out /tmp/synthetic   # one report a file

Each report follows the national template (title block, numbered sections, money
trail, narrative achievements on roads and projects, an indicator table) with
provinces, organisations, routes, amounts and indicators drawn at random from a
seeded generator, so runs are repeatable.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

PLACES = [("四川省", "成都市"), ("广东省", "韶关市"), ("河南省", "洛阳市"), ("甘肃省", "张掖市"), ("湖南省", "岳阳市"),
          ("云南省", "曲靖市"), ("陕西省", "汉中市"), ("贵州省", "遵义市"), ("江西省", "赣州市"), ("山西省", "大同市")]
DEPARTMENTS = ["交通运输局", "公路事业发展中心", "道路运输管理局", "财政局", "交通运输综合行政执法支队"]
FUNDS = ["农村公路养护工程经费", "交通运输行业工作经费", "普通国省道大中修专项经费", "治超站运行经费",
         "综合交通运输规划编制经费", "危桥改造专项资金项目", "公路安全生命防护工程项目"]
ROUTE_NAMES = ["{a}至{b}段", "{a}绕城高速", "{a}至{b}公路{a}段", "{a}服务区改扩建"]
TOWNS = ["青山", "白水", "金沙", "石门", "龙泉", "新桥", "东岭", "西河", "南坪", "北川"]


def route(rng: random.Random) -> str:
    kind = rng.choice(["G", "G", "S", "S", "X"])
    digits = {"G": rng.choice([2, 3, 4]), "S": rng.choice([2, 3]), "X": 3}[kind]
    code = f"{kind}{rng.randrange(10 ** (digits - 1), 10 ** digits)}"
    name = rng.choice(ROUTE_NAMES).format(a=rng.choice(TOWNS), b=rng.choice(TOWNS))
    return f"{code} {name}"


def report(rng: random.Random, n: int) -> str:
    province, city = rng.choice(PLACES)
    org = city + rng.choice(DEPARTMENTS)
    year = rng.choice([2021, 2022, 2023, 2024])
    fund = rng.choice(FUNDS)
    budget = rng.choice([10, 30, 35, 50, 80, 100, 200, 377]) + rng.choice([0, 0, 0.5, 0.78])
    received = budget
    spent = round(budget * rng.choice([1, 1, 0.95, 0.9]), 2)
    rate = round(spent / budget * 100, 1)
    roads = [route(rng) for _ in range(rng.randrange(1, 4))]
    achievements = "，".join(
        f"{r}完成投资 {rng.randrange(1, 999) / 100} 亿元" for r in roads
    )
    km = rng.randrange(5, 400)
    bridges = rng.randrange(1, 30)
    maintain = rng.randrange(1000, 9000)
    target_cost, actual_cost = rng.choice([(450, 550), (100, 87), (300, 280)])
    return f"""{org}

{org}{year}年度{fund}项目支出绩效自评报告

一、项目基本情况

（一）项目概况

为做好{fund}管理工作，{city}财政局于{year}年{rng.randrange(1, 13)}月下达预算资金{budget}万元，用于{roads[0]}等重点项目。

（二）项目绩效目标

{year}年，按照“四好农村路”高质量发展的要求，完成年度建设任务。

二、绩效目标完成情况分析

（一）资金投入情况分析

1.项目资金到位情况分析。当年预算资金{budget}万元，到位{received}万元，资金到位率100%。

2.项目资金执行情况分析。至{year}年底使用{spent}万元，预算执行率{rate}%。

（二）总体绩效目标完成情况分析

{achievements}。全面完成{km}公里农村公路硬化、{bridges}座危桥改造，投入日常养护资金{maintain}万元。

（三）绩效目标完成情况分析

\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t未完成原因
\t产出指标\t数量指标\t危桥改造数量\t≥{bridges}座\t{bridges}座\t10\t10\t
\t\t成本指标\t人均培训成本\t≤{target_cost}元\t{actual_cost}\t10\t10\t
\t满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\t{rng.randrange(85, 100)}%\t10\t9\t
总分\t\t\t\t\t\t100\t{rng.randrange(85, 100)}\t

三、偏离绩效目标的原因和下一步改进措施

未偏离绩效目标。

{org}

{year + 1}年{rng.randrange(1, 4)}月{rng.randrange(1, 28)}日
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    for n in range(args.reports):
        (args.out / f"report_{n:05d}.txt").write_text(report(rng, n), encoding="utf-8")
    print(f"wrote {args.reports} reports to {args.out}")


if __name__ == "__main__":
    main()
