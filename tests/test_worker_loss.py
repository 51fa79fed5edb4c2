"""A batch survives its worst document (issue 16): a worker that dies costs only
the documents it held; they are tried once more alone, the one that kills its
worker again is named as failed, the pool is renewed, the others are stored; and
workers end with the ingest that started them."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import parallel
from pipeline.ingest import ingest
from pipeline.store import Store

SENTENCE = "2023年东岭县交通运输局G569武仙公路养护工程完成投资{k}亿元。"
KILLER = Path(__file__).with_name("worker_killer.py")


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(12):
        name = "07-kill-worker.txt" if k == 7 else f"{k:02d}.txt"
        (folder / name).write_text(SENTENCE.format(k=k + 1), encoding="utf-8")
    return folder


def _ingest(tmp_path, folder, **options):
    failures = []
    with Store(tmp_path / "kb.db") as store:
        tally = ingest([folder], store, on_error=failures.append, **options)
        docs = [row[0] for row in store.conn.execute("SELECT doc FROM documents ORDER BY id")]
    return tally, failures, docs


def _kill_in_worker(path, *args, **kwargs):
    if "kill-worker" in str(path) and os.getpid() != MAIN_PID:
        os.kill(os.getpid(), signal.SIGKILL)
    return PREPARE(path, *args, **kwargs)


MAIN_PID = os.getpid()
PREPARE = parallel.prepare


def test_a_killed_worker_costs_only_its_document(tmp_path, folder, monkeypatch):
    monkeypatch.setattr(parallel, "prepare", _kill_in_worker)  # the workers are forked with it
    tally, failures, docs = _ingest(tmp_path, folder, workers=2)
    assert (tally.stored, tally.failed) == (11, 1)
    assert [(Path(f.path).name, f.problem) for f in failures] == [
        ("07-kill-worker.txt", "its worker process died twice while reading it (BrokenProcessPool: killed by the "
                               "system, out of memory?); the other documents go on")]
    assert docs == [f"{k:02d}.txt" for k in range(12) if k != 7]  # in input order, as one process stores them


def test_dask_retries_a_document_once_then_reports_it(tmp_path, folder, monkeypatch):
    distributed = pytest.importorskip("distributed")
    real = distributed.LocalCluster

    def with_killer(**kwargs):
        return real(**{**kwargs, "preload": [*kwargs.get("preload", []), str(KILLER)]})

    monkeypatch.setattr(distributed, "LocalCluster", with_killer)
    tally, failures, docs = _ingest(tmp_path, folder, workers=2, engine="dask")
    assert (tally.stored, tally.failed) == (11, 1)
    assert [Path(f.path).name for f in failures] == ["07-kill-worker.txt"]
    assert "KilledWorker" in failures[0].problem
    assert docs == [f"{k:02d}.txt" for k in range(12) if k != 7]


def _children(pid: int) -> list[int]:
    import psutil

    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_workers_end_with_their_ingest(tmp_path, engine):
    if engine == "dask":
        pytest.importorskip("distributed")
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(400):  # enough to keep the workers busy for a while
        (folder / f"{k:03d}.txt").write_text(SENTENCE.format(k=k) * 200, encoding="utf-8")
    jixiao = Path(sys.executable).with_name("jixiao")
    ingest_run = subprocess.Popen([str(jixiao), "ingest", str(folder), "--db", str(tmp_path / "kb.db"), "--workers",
                                   "2", "--engine", engine], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.5)
            workers = _children(ingest_run.pid)
        assert len(workers) >= 2, "the workers did not start"
        time.sleep(1)
        ingest_run.send_signal(signal.SIGKILL)
        ingest_run.wait()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.5)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        for pid in _children(ingest_run.pid) + [ingest_run.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def test_an_external_scheduler_that_retries_dead_workers_tasks_is_named(tmp_path, folder, capsys):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        _ingest(tmp_path, folder, engine="dask", scheduler=cluster.scheduler_address)
    assert (f"note: {cluster.scheduler_address} sends a task whose worker died to up to 4 workers in turn"
            in capsys.readouterr().err)
