"""Ensembles: runs are cut into batches, each batch one array program (``model.run_batch``).

Where the batches run:

* ``client`` None: in this process, or, with ``workers`` > 1, on that many worker processes forked
  from it (they start in milliseconds with everything already imported; threads were slower:
  the model's many small array operations hold the interpreter lock between them);
* a Dask client: one task per batch, on a local cluster or any scheduler.

Each run has its own seed (``seed + i``) and random stream; the same runs cut into the same
batches give the same outcomes wherever they run (batching changes which random numbers a run
uses, not their distribution). Paired variants (``compare``) share seeds run by run. ``progress`` is called
with the number of runs finished so far (a float: a batch counts as it advances month by month).
"""

from __future__ import annotations

import os
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Callable, Sequence

import numpy as np

from somlab.sim import model
from somlab.sim.model import Member
from somlab.sim.scenario import Scenario

CPU_BATCH = 8  # runs per batch on the CPU: fewer pay more interpreter overhead, more leave the caches (4: 69, 8: 51, 16: 63 ms a run)
DEVICE_BATCH = 1_000


def cores() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None):
    """A Dask client: connect to ``scheduler`` if given, else start a local cluster of processes."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    # Dask's nanny sets MALLOC_TRIM_THRESHOLD_ in its workers; setting it switches off glibc's
    # dynamic mmap threshold, so every fresh agent array is mmap'd and page-faulted anew and a
    # run takes 1.6x as long as in a plain process. Local workers start without it.
    with (
        dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}),
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def batches(members: Sequence[Member], size: int) -> list[list[int]]:
    """Indices of the members, grouped by what can share a batch, cut into batches of ``size``."""
    groups: dict[tuple, list[int]] = {}
    for i, m in enumerate(members):
        groups.setdefault(model.batch_key(m.scenario), []).append(i)
    out = []
    for indices in groups.values():
        out += [indices[k : k + size] for k in range(0, len(indices), size)]
    return out


def run_members(
    members: Sequence[Member],
    backend: str = "numpy",
    client=None,
    progress: Callable | None = None,
    workers: int = 1,
    batch_size: int | None = None,
) -> list[dict[str, np.ndarray]]:
    """Every member's run, in order."""
    size = batch_size or (CPU_BATCH if backend == "numpy" else DEVICE_BATCH)
    plan = batches(members, size)
    results: list = [None] * len(members)
    done = [0.0] * len(plan)
    lock = threading.Lock()

    def advance(k: int):
        def on_month(month: int, months: int) -> None:
            with lock:
                done[k] = len(plan[k]) * month / months
                if progress:
                    progress(sum(done))

        return on_month

    def finished(k: int, outcome) -> None:
        for i, result in zip(plan[k], outcome):
            results[i] = result
        advance(k)(1, 1)

    def batch(k: int):
        return [members[i] for i in plan[k]]

    forking = (
        workers > 1
        and len(plan) > 1
        and backend == "numpy"
        and "fork" in multiprocessing.get_all_start_methods()
    )
    if client is not None:
        from distributed import as_completed

        batch_of = {
            client.submit(model.run_batch, batch(k), backend, pure=False): k
            for k in range(len(plan))
        }
        for future in as_completed(batch_of):
            finished(batch_of[future], future.result())
    elif forking:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(workers, len(plan)), mp_context=context) as pool:
            futures = [pool.submit(model.run_batch, batch(k), backend) for k in range(len(plan))]
            for k, future in enumerate(futures):
                finished(k, future.result())
    else:
        for k in range(len(plan)):
            finished(k, model.run_batch(batch(k), backend, advance(k)))
    return results


def run_ensemble(
    scenario: Scenario,
    runs: int,
    seed: int = 1,
    backend: str = "numpy",
    overrides=(),
    client=None,
    progress=None,
    workers: int = 1,
) -> list[dict[str, np.ndarray]]:
    """``runs`` seeded replicas of one scenario (seeds ``seed`` ... ``seed + runs - 1``)."""
    members = [Member(scenario, tuple(overrides), seed + i) for i in range(runs)]
    return run_members(members, backend, client, progress, workers)
