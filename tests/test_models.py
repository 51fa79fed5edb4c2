"""models/ is validated when it loads: every file has a declared schema, an unknown or a
missing key stops jixiao at start with one line naming the file and the key; and adding
a unit or a currency is one edit of models/units.yaml (proved here on a copy of models/)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.model_schemas import SCHEMAS, problem
from pipeline.resources import MODELS_ENV, check_models, models_dir

MODEL_FILES = sorted(p.name for p in models_dir().glob("*.yaml"))


def test_every_models_file_has_a_schema_and_meets_it():
    assert set(MODEL_FILES) == set(SCHEMAS)
    check_models()


def _data(name: str) -> dict:
    return yaml.safe_load((models_dir() / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", MODEL_FILES)
def test_a_misspelt_top_level_key_is_named(name):
    data = _data(name)
    key = next(iter(data))
    data[key + "x"] = data.pop(key)
    said = problem(data, SCHEMAS[name])
    assert said and f"unknown key '{key}x'" in said and f"missing key '{key}'" in said


@pytest.mark.parametrize("name", MODEL_FILES)
def test_a_missing_nested_key_is_named(name):
    data = _data(name)
    for key, value in data.items():  # the first nested mapping whose keys are declared ones
        if not isinstance(value, dict):
            continue
        said = problem({**data, key: dict(list(value.items())[1:])}, SCHEMAS[name])
        if said:  # (a mapping whose keys are data, such as a list of units, may lose one)
            assert said == f"missing key '{key}.{next(iter(value))}'"
            return
    pytest.skip(f"{name} has no nested mapping of declared keys")


def test_a_wrong_type_is_named():
    data = _data("units.yaml")
    data["money"]["bare"]["万"] = "ten thousand"
    assert problem(data, SCHEMAS["units.yaml"]).startswith("key 'money.bare.万'")


def _copy_models(tmp_path: Path) -> Path:
    copy = tmp_path / "models"
    shutil.copytree(models_dir(), copy)
    return copy


def _run(models: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, **{MODELS_ENV: str(models)})
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "pipeline.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_a_misspelt_key_stops_jixiao_at_start_in_one_line(tmp_path):
    models = _copy_models(tmp_path)
    units = models / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("\n  currencies:", "\n  currencys:"), encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("完成投资30万元。", encoding="utf-8")
    done = _run(models, "extract", str(doc))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "error: models/units.yaml: unknown key 'money.currencys'; missing key 'money.currencies'"]


def test_a_bad_jieba_dictionary_line_is_named(tmp_path):
    models = _copy_models(tmp_path)
    with (models / "jieba_dict.txt").open("a", encoding="utf-8") as f:
        f.write("绩效目标 many n\n")
    done = _run(models, "extract", str(tmp_path))
    assert done.returncode == 1
    assert "models/jieba_dict.txt: line" in done.stderr and "KeyError" not in done.stderr


def test_models_dir_named_by_the_environment_must_exist(tmp_path):
    done = _run(tmp_path / "nowhere", "extract", str(tmp_path))
    assert done.returncode == 1
    assert "models/patterns.yaml: models/ directory not found" in done.stderr


EXTRACT = ("import json, sys, pipeline\n"
           "print(json.dumps([m.record('x') for m in pipeline.extract(sys.argv[1])], ensure_ascii=False))")


# (kind, the line after which the new one goes, the new line, a sentence, the mention it must give)
ADDITIONS = [
    ("LENGTH", "    公里: [km, 1]\n", "    英里: [km, 1.609344]\n", "新建道路3英里。", ("3英里", 4.828032, "km")),
    ("MONEY", "    美元: 美元\n", "    瑞士法郎: 瑞士法郎\n", "获得贷款1.5亿瑞士法郎。", ("1.5亿瑞士法郎", 150000000, "瑞士法郎")),
]


@pytest.mark.parametrize("kind,after,line,sentence,want", ADDITIONS, ids=["unit", "currency"])
def test_adding_a_unit_or_currency_is_one_data_edit(tmp_path, kind, after, line, sentence, want):
    models = _copy_models(tmp_path)
    units = models / "units.yaml"
    text = units.read_text(encoding="utf-8")
    assert line not in text and after in text
    units.write_text(text.replace(after, after + line), encoding="utf-8")
    done = _run(models, code=EXTRACT.replace("sys.argv[1]", repr(sentence)))
    assert done.returncode == 0, done.stderr
    [found] = [m for m in json.loads(done.stdout) if m["type"] == kind]
    assert (found["text"], found["value"], found["unit"]) == want
