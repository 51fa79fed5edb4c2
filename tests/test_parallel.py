"""Many documents at once: --workers N and the Dask engine give the store exactly
the rows and ids of a single-process run; bad files are reported and counted;
the segmenters agree with plain jieba on the corpus."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipeline import segment
from pipeline.cli import main
from pipeline.document import process_text
from pipeline.ingest import ingest
from pipeline.normalize import normalize
from pipeline.store import TABLES, Store

SAMPLE_PARTS = 4


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, sample_path: Path) -> list[str]:
    """Pieces of the sample as files of their own, an empty file and a missing one in between."""
    folder = tmp_path_factory.mktemp("inputs")
    lines = sample_path.read_text(encoding="utf-8").splitlines(keepends=True)
    step = len(lines) // SAMPLE_PARTS + 1
    paths = []
    for k in range(SAMPLE_PARTS):
        path = folder / f"part{k}.txt"
        path.write_text("".join(lines[k * step:(k + 1) * step]), encoding="utf-8")
        paths.append(str(path))
    (folder / "empty.txt").write_bytes(b"")
    return [paths[0], str(folder / "empty.txt"), *paths[1:3], str(folder / "missing.txt"), paths[3], str(sample_path)]


def _rows(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    out = {}
    for table in TABLES:
        query = ("SELECT id, path, doc, sha256, encoding, source FROM documents ORDER BY id" if table == "documents"
                 else f"SELECT * FROM {table} ORDER BY id")
        out[table] = conn.execute(query).fetchall()
    conn.close()
    return out


def _ingest(db: Path, paths: list[str], **options):
    errors = []
    with Store(db) as store:
        tally = ingest(paths, store, on_error=errors.append, **options)
    return tally, [str(e) for e in errors]


@pytest.fixture(scope="module")
def single(tmp_path_factory, inputs):
    db = tmp_path_factory.mktemp("single") / "one.db"
    tally, errors = _ingest(db, inputs)
    return db, tally, errors


def test_workers_store_the_same_rows_and_ids(tmp_path, inputs, single):
    db1, tally1, errors1 = single
    tally2, errors2 = _ingest(tmp_path / "two.db", inputs, workers=2)
    assert (tally2.stored, tally2.failed, tally2.unchanged) == (tally1.stored, tally1.failed, tally1.unchanged) == (5, 2, 0)
    assert errors2 == errors1 and "empty.txt" in errors1[0] and "missing.txt" in errors1[1]
    assert _rows(tmp_path / "two.db") == _rows(db1)


def test_workers_skip_unchanged_and_count_a_repeated_file_once(tmp_path, inputs):
    db = tmp_path / "again.db"
    _ingest(db, inputs, workers=2)
    tally, _ = _ingest(db, inputs + [inputs[0]], workers=2)
    assert (tally.stored, tally.unchanged, tally.failed) == (0, 6, 2)


def test_workers_strict_stops_at_the_first_bad_file(tmp_path, inputs):
    tally, errors = _ingest(tmp_path / "strict.db", inputs, workers=2, strict=True)
    assert (tally.stored, tally.failed) == (1, 1) and len(errors) == 1


def test_cli_ingest_workers(tmp_path, inputs, single, capsys):
    db = tmp_path / "cli.db"
    assert main(["ingest", *inputs, "--db", str(db), "--workers", "2"]) == 1  # two inputs fail
    assert "7 documents, 2 failed (5 stored, 0 unchanged)" in capsys.readouterr().err
    assert _rows(db) == _rows(single[0])


def test_dask_engine_on_a_local_cluster(tmp_path, inputs, single):
    pd = pytest.importorskip("pandas")
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        tally, errors = _ingest(tmp_path / "dask.db", inputs, engine="dask", scheduler=cluster.scheduler_address,
                                parquet=tmp_path / "kb")
    assert (tally.stored, tally.failed) == (5, 2) and errors == single[2]
    rows = _rows(tmp_path / "dask.db")
    assert rows == _rows(single[0])
    facts = pd.read_parquet(tmp_path / "kb" / "facts")
    assert len(facts) == len(rows["facts"]) > 0
    assert list(facts["id"]) == [r[0] for r in rows["facts"]]
    assert len(pd.read_parquet(tmp_path / "kb" / "mentions")) == len(rows["mentions"])
    columns = [c[1] for c in sqlite3.connect(tmp_path / "dask.db").execute("PRAGMA table_info(documents)")]
    assert list(pd.read_parquet(tmp_path / "kb" / "documents").columns) == [c for c in columns if c != "source"]


def test_dask_workers_preload_the_models(monkeypatch):
    """`dask worker … --preload pipeline.parallel` calls its dask_setup as each worker starts."""
    distributed = pytest.importorskip("distributed")
    from pipeline import parallel

    started = []
    monkeypatch.setattr(parallel, "warm_up", lambda *args: started.append(args))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None,
                                  preload=["pipeline.parallel"]):
        assert started == [(None,), (None,)]


@pytest.mark.parametrize("name", [n for n in segment.SEGMENTERS if n != "jieba"])
def test_segmenter_gives_the_same_records_on_the_corpus(name, sample_path):
    """Mention offsets come from the patterns, tokens only give boundaries: the records
    stay those of plain jieba (their words differ on runs like 2023-2025, see README)."""
    if name not in segment.available_segmenters():
        pytest.skip(f"{name} is not installed")
    text = sample_path.read_text(encoding="utf-8")
    reference = process_text(text, "sample").records()
    before = segment.segmenter()
    try:
        segment.set_segmenter(name)
        assert "".join(segment.words(normalize(text).text)) == normalize(text).text
        assert process_text(text, "sample").records() == reference
    finally:
        segment.set_segmenter(before)


def test_unknown_segmenter_is_an_error():
    with pytest.raises(Exception, match="unknown segmenter"):
        segment.set_segmenter("pkuseg")


def test_batches_close_at_their_byte_budget_and_keep_input_order(tmp_path):
    from pipeline import parallel
    from pipeline.errors import InputError

    sizes = [300, 300, 500, 100, 100, 100]
    paths = []
    for k, size in enumerate(sizes):
        path = tmp_path / f"d{k}.txt"
        path.write_text("x" * size, encoding="ascii")
        paths.append(path)
    items = [*paths[:3], InputError(str(tmp_path / "gone.txt"), "missing"), *paths[3:]]
    batches = []

    def submit(_fn, jobs, *_args):
        batches.append([Path(path).name for path, _known, _problem in jobs])
        return parallel._Done([parallel.Outcome(path) for path, _known, _problem in jobs])

    out = list(parallel._in_order(submit, items, lambda _p: None, (), window=2, batch=3, batch_bytes=600))
    assert batches == [["d0.txt", "d1.txt"], ["d2.txt", "gone.txt", "d3.txt"], ["d4.txt", "d5.txt"]]
    assert [Path(o.path).name for o in out] == [Path(str(i.path if isinstance(i, InputError) else i)).name
                                                for i in items]
