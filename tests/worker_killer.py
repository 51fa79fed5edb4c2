"""A Dask preload for the tests: in this worker, a document whose name holds
`kill-worker` kills the worker process, as the system kills one out of memory."""
from __future__ import annotations

import os
import signal

from pipeline import parallel

_prepare = parallel.prepare


def _killing_prepare(path, *args, **kwargs):
    if "kill-worker" in str(path):
        os.kill(os.getpid(), signal.SIGKILL)
    return _prepare(path, *args, **kwargs)


def dask_setup(_service=None) -> None:
    parallel.prepare = _killing_prepare
