"""Shared fixtures: where the sample corpus and its gold live, and the sample extracted once."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = CORPUS / "gold"
SAMPLE = CORPUS / "zhangye_transport_2023.txt"
# shared/ sits beside the repo, on a developer's machine and in CI alike.
SHARED = ROOT.parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes tens of seconds (builds a wheel); still part of the CI run")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return GOLD


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """shared/ beside the repo; tests that compare with its tools skip where it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not beside the repo")
    return SHARED


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_records() -> list[dict]:
    """The sample document's records of every kind, as `jixiao extract` writes them."""
    from pipeline import extract_paths

    return [record for result in extract_paths([SAMPLE]) for record in result.records()]


@pytest.fixture(scope="session")
def corpus_records() -> list[dict]:
    """Every corpus document's records of every kind, as `jixiao extract corpus/` writes them."""
    from pipeline import extract_paths

    return [record for result in extract_paths([CORPUS]) for record in result.records()]


@pytest.fixture(scope="session")
def corpus_pred(corpus_records: list[dict], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pred") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in corpus_records), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def sample_pred(sample_records: list[dict], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pred") / "mentions.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample_records), encoding="utf-8")
    return path
