"""The wheel carries the data files and entry points an installed jixiao needs."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# Without these the recognisers cannot load (pipeline/resources.py looks for them in pipeline/models/).
REQUIRED_MODELS = ("patterns.yaml", "units.yaml", "cues.yaml", "roads.yaml", "names.yaml", "jieba_dict.txt")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, corpus_dir) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(corpus_dir.parent)],
                   check=True, timeout=600)
    (built,) = out.glob("jixiao-*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


@pytest.mark.parametrize("name", REQUIRED_MODELS)
def test_required_model_is_in_the_wheel(wheel, name):
    assert f"pipeline/models/{name}" in wheel.namelist()


def test_every_model_file_is_in_the_wheel(wheel, corpus_dir):
    models = {f"pipeline/models/{p.name}" for p in (corpus_dir.parent / "models").iterdir() if p.is_file()}
    assert models <= set(wheel.namelist())


def test_store_schema_is_in_the_wheel(wheel):
    assert "pipeline/sql/schema.sql" in wheel.namelist()


def test_entry_points(wheel):
    (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    entry_points = wheel.read(name).decode()
    assert "jixiao = pipeline.cli:main" in entry_points
    for factory in ("jixiao_quantities", "jixiao_references", "jixiao_names"):
        assert f"{factory} = pipeline.components:" in entry_points


def test_unpacked_wheel_extracts_with_its_own_models(wheel, tmp_path):
    wheel.extractall(tmp_path / "site")
    probe = (
        "import json, pipeline; from pipeline.resources import models_dir; "
        "print(json.dumps([pipeline.__file__, str(models_dir()), "
        "[m.type for m in pipeline.extract('张掖市交通运输局下达资金30万元')]]))"
    )
    # Run away from the checkout, with the unpacked wheel ahead of any editable install.
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    package, models, types = json.loads(done.stdout.splitlines()[-1])
    assert Path(package).is_relative_to(tmp_path / "site")
    assert Path(models) == tmp_path / "site" / "pipeline" / "models"
    assert types == ["ORG", "MONEY"]
