"""Keeping a build's worker processes from outliving it.

A reindex that is killed (SIGKILL, the OOM killer) or terminated (SIGTERM)
must not leave its spawned workers, and through them multiprocessing's
resource tracker, running for minutes. Workers therefore end themselves
when their parent dies, SIGTERM cancels a build the way Ctrl-C does, and a
cancelled build stops its workers at once instead of letting them finish
the queue.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

logger = logging.getLogger(__name__)

# How often a worker checks that its parent is still alive, in seconds.
PARENT_POLL_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent_pid: int) -> None:
    """Make this (worker) process end when `parent_pid` ends.

    On Linux the kernel sends SIGTERM when the parent goes (PR_SET_PDEATHSIG;
    strictly, when the thread that started us ends, which outlives the pool
    since build_index both starts and stops it). A daemon thread polling
    os.getppid() is the fallback everywhere, and covers the race of a parent
    that died before this ran.
    """
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):  # the poll below still works
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(
        target=_watch_parent, args=(parent_pid,), name="watch-parent", daemon=True
    ).start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)  # orphaned: re-parented to init or a subreaper


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel queued files and end the workers now, not after the file each is on."""
    # No public handle on the workers before Python 3.14's terminate_workers().
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=2)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While this lasts, SIGTERM raises KeyboardInterrupt, so a build cancels as on Ctrl-C.

    Only in the main thread (the only one signals reach), and only when
    SIGTERM still has its default action: an application that handles it
    (the bot stops polling on it) keeps its own handler.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
