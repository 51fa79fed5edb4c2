"""Documents in parallel, one writer: the per-document work (load, extract,
structure, link, audit) runs in worker processes or on a Dask cluster; the caller
writes the results in input order, so the store gets the same rows with the same
ids as a single-process run.

    for outcome in outcomes(items, known, workers=2): ...            # a process pool
    for outcome in outcomes(items, known, engine="dask", scheduler="tcp://host:8786"): ...

Documents go out in batches; at most `window` batches are in flight (submitted, or done and waiting for an
earlier one), so memory follows the largest documents, not the corpus.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import errors
from .errors import InputError
from .load import DEFAULT_MAX_BYTES
from .segment import segmenter, set_segmenter

ENGINES = ("local", "dask")
# A Dask task takes documents until their files add up to this many bytes (or DASK_BATCH
# of them): a task's trip through the scheduler costs about as much as extracting 30 KB.
DASK_BATCH_BYTES = 512_000
DASK_BATCH = 256
# Documents per task in the local process pool: fewer round trips, little more memory.
LOCAL_BATCH = 4
# A worker checks this often whether the ingest that started it is still there.
PARENT_CHECK_SECONDS = 1.0
# Set for the workers of jixiao's own LocalCluster: the pid of the ingest they end with.
PARENT_ENV = "JIXIAO_PARENT_PID"


@dataclass
class Outcome:
    """What became of one input: a document to store, unchanged bytes, or an error."""

    path: str
    document: Any = None  # StoredDocument
    unchanged: bool = False
    problem: str | None = None  # InputError's problem (exceptions with their own __init__ do not pickle)

    @property
    def error(self) -> InputError | None:
        return InputError(self.path, self.problem) if self.problem is not None else None


def prepare(path: str, max_bytes: int = DEFAULT_MAX_BYTES, known_sha256: str | None = None,
            segmenter_name: str | None = None) -> Outcome:
    """The per-document function: read `path`, and unless its bytes are `known_sha256`,
    extract everything the store keeps. Runs wherever the engine puts it."""
    from .document import STORED_KINDS, process_document
    from .load import load_document
    from .fulltext import add_index_text
    from .store import StoredDocument

    if segmenter_name and segmenter_name != segmenter():
        set_segmenter(segmenter_name)
    try:
        document = load_document(path, max_bytes)
        if known_sha256 is not None and document.sha256 == known_sha256:
            return Outcome(path, unchanged=True)
        stored = StoredDocument.of(process_document(document, STORED_KINDS))
        add_index_text(stored.records)  # the search index's text, made here rather than by the one writer
        return Outcome(path, stored)
    except InputError as error:
        return Outcome(error.path, problem=error.problem)
    except Exception as exc:  # noqa: BLE001 - one bad document must not end the batch
        return Outcome(path, problem=errors.FAILED.format(reason=f"{type(exc).__name__}: {exc}"))


def warm_up(segmenter_name: str | None = None) -> None:
    """Load the dictionary, the spaCy pipeline and the patterns once in this process."""
    from .document import process_text

    if segmenter_name and segmenter_name != segmenter():
        set_segmenter(segmenter_name)
    process_text("2023年张掖市交通运输局完成投资12.53亿元。", "<warm-up>")


def start_worker(segmenter_name: str | None = None, parent: int | None = None) -> None:
    """A worker process's start: it ends when `parent` (the ingest that started it) is
    gone, even killed with -9, and loads the models."""
    if parent is not None:
        _end_with(parent)
    warm_up(segmenter_name)


def _end_with(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)  # the parent is gone: nobody is left to take this worker's results

    if os.getppid() == parent:
        threading.Thread(target=watch, name="jixiao-parent-watch", daemon=True).start()


def dask_setup(_service: Any = None) -> None:
    """Dask's preload hook: `dask worker ADDRESS --preload pipeline.parallel` loads the
    models as each worker starts, not on the first document of the first run. A worker
    of jixiao's own LocalCluster also ends with the ingest that started it."""
    parent = os.environ.get(PARENT_ENV)
    start_worker(None, int(parent) if parent and parent.isdigit() else None)


def prepare_batch(jobs: list[tuple[str, str | None, str | None]], max_bytes: int = DEFAULT_MAX_BYTES,
                  segmenter_name: str | None = None) -> list[Outcome]:
    """`prepare` over several documents in one task: (path, known sha256, problem) each;
    a job that comes with its problem (a path that does not exist) is not read."""
    return [Outcome(path, problem=problem) if problem is not None else prepare(path, max_bytes, known, segmenter_name)
            for path, known, problem in jobs]


class _Done:
    def __init__(self, value: list[Outcome]):
        self.value = value

    def result(self) -> list[Outcome]:
        return self.value

    def cancel(self) -> bool:
        return True


def _in_order(submit: Callable[..., Any], items: Iterable[Path | InputError],
              known: Callable[[Path], str | None], args: tuple, window: int, batch: int = 1,
              batch_bytes: int | None = None) -> Iterator[Outcome]:
    """Outcomes in input order, at most `window` tasks in flight; a task takes `batch`
    documents, or fewer once their files add up to `batch_bytes`.

    A task whose worker died (killed by the OS, out of memory: BrokenProcessPool,
    KilledWorker) costs only its own documents: each is tried once more alone, and
    one that is lost again is named as failed (`lost`); the batch goes on."""
    pending: deque = deque()  # (future, its jobs)
    jobs: list[tuple[str, str | None, str | None]] = []
    size = 0

    def results(future: Any, sent: list) -> list[Outcome]:
        try:
            return future.result()
        except Exception:  # noqa: BLE001 - prepare_batch reports every document's own failure; this is the worker's
            return [outcome for job in sent for outcome in _alone(submit, job, args)]

    try:
        for item in items:
            if isinstance(item, InputError):
                jobs.append((item.path, None, item.problem))
            else:
                jobs.append((str(item), known(item), None))
                if batch_bytes is not None:
                    size += _file_size(item)
            if len(jobs) >= batch or (batch_bytes is not None and size >= batch_bytes):
                pending.append((submit(prepare_batch, jobs, *args), jobs))
                jobs, size = [], 0
            while len(pending) >= window:
                yield from results(*pending.popleft())
        if jobs:
            pending.append((submit(prepare_batch, jobs, *args), jobs))
        while pending:
            yield from results(*pending.popleft())
    finally:  # the caller stopped early (--strict): drop what was not started
        for future, _jobs in pending:
            future.cancel()


def _alone(submit: Callable[..., Any], job: tuple[str, str | None, str | None], args: tuple) -> list[Outcome]:
    """One document of a lost task, tried again as a task of its own (the only new one
    in flight, so that a second loss is its own): its outcome, or failed as lost."""
    path, _known, problem = job
    if problem is not None:
        return [Outcome(path, problem=problem)]
    try:
        return submit(prepare_batch, [job], *args).result()
    except Exception as exc:  # noqa: BLE001 - lost a second time: this document is the one
        return [Outcome(path, problem=errors.WORKER_LOST.format(reason=type(exc).__name__))]


def _file_size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # reported when the task reads it
        return 0


def _allowed_failures(dask_scheduler: Any) -> int:
    return dask_scheduler.allowed_failures


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def outcomes(items: Iterable[Path | InputError], known: Callable[[Path], str | None] = lambda _p: None, *,
             max_bytes: int = DEFAULT_MAX_BYTES, workers: int = 1, engine: str = "local",
             scheduler: str | None = None, window: int | None = None) -> Iterator[Outcome]:
    """One Outcome per item, in the order of `items`. `known(path)` gives the sha256 the
    store holds for a file (its unchanged bytes are then not extracted again)."""
    args = (max_bytes, segmenter())
    if engine == "dask":
        yield from _dask_outcomes(items, known, args, workers, scheduler, window)
        return
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if workers <= 1:
        yield from _in_order(lambda fn, *a: _Done(fn(*a)), items, known, args, 1)
        return
    warm_up()  # loaded before the fork, the models are shared copy-on-write by the workers
    with _RenewedPool(workers) as pool:
        yield from _in_order(pool.submit, items, known, args, window or 2 * workers, batch=LOCAL_BATCH)


class _RenewedPool:
    """A process pool that is started again when a worker's death has broken it
    (concurrent.futures then fails every task in flight, and every later one)."""

    def __init__(self, workers: int):
        self.workers = workers
        self.pool = self._start()

    def _start(self):
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=self.workers, initializer=start_worker,
                                   initargs=(segmenter(), os.getpid()))

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(fn, *args)
        except BrokenProcessPool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._start()
            return self.pool.submit(fn, *args)

    def __enter__(self) -> "_RenewedPool":
        return self

    def __exit__(self, *_exc) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _dask_outcomes(items, known, args, workers: int, scheduler: str | None, window: int | None) -> Iterator[Outcome]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise errors.JixiaoError("the dask engine needs dask and distributed: pip install 'jixiao[dask]'") from exc
    import dask

    cluster = None
    if scheduler:
        client = Client(scheduler)
        allowed = client.run_on_scheduler(_allowed_failures)
        if allowed:
            print(errors.DASK_RETRIES.format(scheduler=scheduler, tries=allowed + 1), file=sys.stderr, flush=True)
    else:
        os.environ[PARENT_ENV] = str(os.getpid())  # for the workers it starts (and restarts), until it closes
        # a task whose worker dies is not sent to another (the default tries 3 more, and a
        # bomb kills each); jixiao tries each of its documents once more alone instead
        with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                   dashboard_address=None, preload=[__name__])
        client = Client(cluster)
    try:
        client.run(warm_up, args[1])  # each worker loads the models once, before the first document
        slots = sum(client.nthreads().values()) or 1
        submit = lambda fn, *a: client.submit(fn, *a, pure=False)  # noqa: E731
        # batches of documents, several in flight (DASK_BATCH_BYTES)
        yield from _in_order(submit, items, known, args, window or 4 * slots, batch=DASK_BATCH,
                             batch_bytes=DASK_BATCH_BYTES)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
            os.environ.pop(PARENT_ENV, None)
