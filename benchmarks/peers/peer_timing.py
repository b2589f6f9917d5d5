"""Timing helpers shared by the peer benchmarks (imported from the scripts' own folder)."""
from __future__ import annotations

import gc
import platform
import statistics
import time


def timed(fn, runs: int):
    """Runs fn `runs` times after a garbage collection each; returns (median s, all s, last)."""
    times, out = [], None
    for _ in range(runs):
        out = None
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, out


def cpu_name() -> str:
    """The processor's model name, for the report."""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
