"""Simulations as background jobs: one worker thread, a short queue, progress per finished run."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from somlab.law.corpus import default_corpus
from somlab.sim import compare, service, validation
from somlab.sim.exposure import exposure

MAX_RUNS = 20  # ensemble size per job; larger ensembles belong in `somlab simulate` on Dask
MAX_PENDING = 4  # queued or running jobs
KEEP = 50  # finished jobs kept for reading


class Busy(RuntimeError):
    """Too many simulations queued."""


@dataclass
class Job:
    id: str
    request: dict[str, Any]
    status: str = "queued"  # queued | running | done | failed
    done_runs: int = 0
    created: float = field(default_factory=time.time)
    result: dict[str, Any] | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        runs = self.request["runs"] * (1 if self.request["compare"] is None else 2)
        return {
            "schema": "somlab.simulation-job/1",
            "id": self.id,
            "status": self.status,
            "request": self.request,
            "runs_done": self.done_runs,
            "runs": runs,
            "progress": round(self.done_runs / runs, 3),
            "error": self.error,
            "result": self.result,
        }


def run_simulation(request: dict[str, Any], progress) -> dict[str, Any]:
    """The simulation document with monthly bands, exposure when jurisdictions are given, and
    the comparison with variant B (paired runs: the same seeds) when `compare` is given."""
    name, n, seed = request["scenario"], request["runs"], request["seed"]

    def report_done(done: float) -> None:
        progress(int(done))

    # in this process: the server's worker thread must not fork
    if request["compare"] is None:
        result = service.simulate(
            name,
            n,
            seed,
            request["set"],
            scheduler="inline",
            progress=report_done,
            point=request.get("point", False),
        )
    else:
        result, variant = service.compare(
            name,
            None,
            request["set"],
            request["compare"],
            n,
            seed,
            scheduler="inline",
            progress=report_done,
            point=request.get("point", False),
        )
    document = result.document()
    document["monthly"] = validation.target_months(
        validation.tidy(result.runs, result.scenario)
    ).to_dict("records")
    if request["exposure"]:
        document["exposure"] = exposure(
            result.runs, result.scenario, request["exposure"], default_corpus()
        )
    if request["compare"] is not None:
        document["comparison"] = {
            "a": request["set"],
            "b": request["compare"],
            "rows": compare.differences(
                result.runs, result.scenario, variant.runs, variant.scenario
            ).to_dict("records"),
        }
    return document


class Jobs:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="somlab-sim")

    def submit(self, request: dict[str, Any]) -> Job:
        with self._lock:
            pending = [j for j in self._jobs.values() if j.status in ("queued", "running")]
            if len(pending) >= MAX_PENDING:
                raise Busy(f"{len(pending)} simulations are queued or running; try again shortly")
            job = Job(uuid.uuid4().hex[:12], request)
            self._jobs[job.id] = job
            finished = sorted(
                (j for j in self._jobs.values() if j.status in ("done", "failed")),
                key=lambda j: j.created,
            )
            for old in finished[: max(0, len(finished) - KEEP)]:
                del self._jobs[old.id]
        self._pool.submit(self._run, job)
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def _run(self, job: Job) -> None:
        job.status = "running"

        def progress(done: int) -> None:
            job.done_runs = done

        try:
            job.result = run_simulation(job.request, progress)
            job.status = "done"
        except Exception as exc:  # a failed job reports its error; the server goes on
            job.error = f"{type(exc).__name__}: {exc}"
            job.status = "failed"

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
