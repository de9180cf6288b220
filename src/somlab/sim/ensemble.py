"""Ensembles of runs on Dask: a local cluster by default, any scheduler address for clusters.

Each run gets its own seed (``seed + i``); the scenario travels to the workers once.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from somlab.sim import model
from somlab.sim.scenario import Scenario


def _one(scenario: Scenario, seed: int, backend: str, overrides) -> dict[str, np.ndarray]:
    return model.run(scenario, seed=seed, backend=backend, overrides=overrides)


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
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        yield client


def run_ensemble(scenario: Scenario, runs: int, seed: int = 1, backend: str = "numpy", overrides=(),
                 client=None, progress=None) -> list[dict[str, np.ndarray]]:
    """Run ``runs`` seeded replicas; sequentially when ``client`` is None, else on Dask.

    ``progress`` is called with the number of finished runs after each one.
    """
    seeds = [seed + i for i in range(runs)]
    if client is None:
        results = []
        for done, s in enumerate(seeds, start=1):
            results.append(_one(scenario, s, backend, overrides))
            if progress:
                progress(done)
        return results
    from distributed import as_completed

    remote = client.scatter(scenario, broadcast=True, hash=False)
    futures = [client.submit(_one, remote, s, backend, overrides, pure=False) for s in seeds]
    index = {f.key: i for i, f in enumerate(futures)}
    results: list = [None] * runs
    for done, future in enumerate(as_completed(futures), start=1):
        results[index[future.key]] = future.result()
        if progress:
            progress(done)
    return results
