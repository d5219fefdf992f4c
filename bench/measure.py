"""Small measuring helpers: latency summaries, peak memory, sizes on disk."""

from __future__ import annotations

import glob
import resource
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.store import MAPPED_SUFFIX


@dataclass(frozen=True)
class Latency:
    """Percentiles of a list of timings, in milliseconds."""

    n: int
    p50: float
    p95: float
    mean: float
    max: float


def summarise_ms(values: Sequence[float]) -> Latency:
    """Latency summary of timings given in milliseconds (zeros when there are none)."""
    if not values:
        return Latency(0, 0.0, 0.0, 0.0, 0.0)
    array = np.asarray(values, dtype=np.float64)
    return Latency(
        n=len(array),
        p50=float(np.percentile(array, 50)),
        p95=float(np.percentile(array, 95)),
        mean=float(array.mean()),
        max=float(array.max()),
    )


def resident_parts_bytes() -> dict[str, int]:
    """This process's resident memory now, by kind: its own (RssAnon) and pages of mapped
    files (RssFile: the index's weighed postings, which the kernel can drop and read
    again). Empty where /proc is missing."""
    parts = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("RssAnon", "RssFile"):
                parts[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return parts


def peak_rss_bytes() -> int:
    """This process's peak resident memory (VmHWM; ru_maxrss where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def store_size_bytes(db_path: Path) -> int:
    """Size on disk of a store: the SQLite file, its journal if any, its mapped arrays."""
    mapped = db_path.parent.glob(f"{glob.escape(db_path.name)}.*{MAPPED_SUFFIX}")
    return sum(
        path.stat().st_size
        for path in (db_path, db_path.with_name(db_path.name + "-wal"), *mapped)
        if path.is_file()
    )
