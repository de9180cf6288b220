"""Array backends of the full model: numpy by default, CuPy on request (imported only when asked for).

A batch of R runs is one array program: every agent array is [R, M] and every route quantity
[R, n_routes], run r in row r. Each run has its own random stream (its seed), so runs are
independent whatever batch they are computed in:

* numpy: one ``numpy.random.Generator`` per run, each filling its own row;
* CuPy: a counter-based generator (SplitMix64 of the run's key, the draw's number and the
  column), one kernel launch per draw for the whole batch, no state to carry between launches.

Besides the array namespace ``xp`` a backend offers what the array API leaves out: random rows,
counts of small integer codes per run (a segmented reduction; on the GPU one pass of a counting
kernel with per-block counts in shared memory, never a weighted ``bincount`` of boolean masks,
whose atomic adds into a few bins serialise, nor a sum reduction per code, which gives each row
one thread block), subsets of agents (the few concerned by a step: a compact list on the host, a mask
on the GPU), and the copy back to numpy.

JAX runs only the benchmark's reference model (``reference.run_jax``, the month jitted and the
run a ``lax.scan``). The full model does not run on it: its arrays change size as the hubs fill
and as the number of boats changes from month to month, and JAX's compiled functions need shapes
fixed in advance, so each new size would be a new compilation (the earlier op-by-op port of the
full model did not finish 84 months of 100,000 agents within 100 s on an H200).
"""

from __future__ import annotations

import importlib
import logging

import numpy as np

from somlab.errors import SomlabError

_log = logging.getLogger(__name__)

BACKENDS = ("numpy", "cupy")
JAX_REASON = (
    "the full model does not run on JAX: its agent arrays grow as the hubs fill and the number "
    "of boats changes every month, and JAX compiles for fixed shapes (see docs/simulator.md); "
    "use --backend cupy on a GPU"
)


class BackendUnavailable(SomlabError, RuntimeError):
    """The requested backend is not installed or has no usable device."""


class NumpyBackend:
    """Runs in this process on the CPU; the host is the device, so exact sizes cost nothing."""

    name = "numpy"
    exact_sizes = True  # widths trimmed to the agents in use each month (free on the host)

    def __init__(self, seeds):
        self.xp = np
        self._rngs = [np.random.default_rng(int(s)) for s in seeds]
        self.row_index = np.arange(len(self._rngs), dtype=np.int64)[:, None]  # [R, 1], built once

    def uniform(self, width: int):
        out = np.empty((len(self._rngs), width), dtype=np.float32)
        for row, rng in zip(out, self._rngs):
            rng.random(dtype=np.float32, out=row)
        return out

    def normal(self, width: int):
        out = np.empty((len(self._rngs), width), dtype=np.float32)
        for row, rng in zip(out, self._rngs):
            rng.standard_normal(dtype=np.float32, out=row)
        return out

    def counts(self, code, n: int):
        """[R, n] number of entries of each row equal to 0..n-1; code n (and only n) means none."""
        rows = code.shape[0]
        key = code + (np.arange(rows, dtype=np.int64) * (n + 1))[:, None]
        return np.bincount(key.ravel(), minlength=rows * (n + 1)).reshape(rows, n + 1)[:, :n]

    def subset(self, mask) -> HostSubset:
        rows, cols = np.divmod(np.flatnonzero(mask), mask.shape[1])
        return HostSubset(rows, cols, self)

    def free_slots(self, active, totals: np.ndarray) -> tuple[HostSubset, np.ndarray]:
        """The first ``totals[r]`` free slots of each row, and each one's rank (1, 2, ...) in its row."""
        cols = [np.flatnonzero(~row)[:k] for row, k in zip(active, totals)]
        rows = np.repeat(np.arange(len(cols)), [len(c) for c in cols])
        rank = np.concatenate([np.arange(1, len(c) + 1, dtype=np.int32) for c in cols])
        return HostSubset(rows, np.concatenate(cols), self), rank

    def fused(self, factory, *static):
        """None: on the host the model runs array programs over compact subsets instead (see
        ``CupyBackend.fused``)."""
        return None

    def to_numpy(self, a) -> np.ndarray:
        return np.asarray(a)


class HostSubset:
    """Some agents of a batch (e.g. those departing this month) as a compact list: numpy works on
    them only, a few percent of the arrays. Rows are in order, so each run draws its own numbers."""

    def __init__(self, rows, cols, be: NumpyBackend):
        self.rows, self.cols, self._be = rows, cols, be
        self._sizes = np.bincount(rows, minlength=len(be._rngs))
        self._flat: dict[int, np.ndarray] = {}

    def _place(self, array):
        """The flat memory under a [R, width] array (a view of the first columns of a C-ordered
        [R, M] array) and the members' flat indices in it: 1-D take and put are several times
        faster than indexing with row and column arrays."""
        base = array if array.base is None else array.base
        if (
            not base.flags.c_contiguous
            or base.ndim != 2
            or array.__array_interface__["data"][0] != base.__array_interface__["data"][0]
        ):
            return None, None
        stride = base.shape[1]
        if stride not in self._flat:
            self._flat[stride] = self.rows * stride + self.cols
        return base.reshape(-1), self._flat[stride]

    def gather(self, array):
        flat, index = self._place(array)
        return array[self.rows, self.cols] if flat is None else np.take(flat, index)

    def scatter(self, array, values) -> None:
        flat, index = self._place(array)
        if flat is None:
            array[self.rows, self.cols] = values
        else:
            np.put(flat, index, values)

    def select(self, condition) -> HostSubset:
        """The members for which ``condition`` (one value per member) holds."""
        return HostSubset(self.rows[condition], self.cols[condition], self._be)

    def keep(self, values, condition):
        """Per-member ``values`` aligned with ``select(condition)``."""
        return values[condition]

    def param(self, column):
        """An [R, 1] column's value for each member of the subset."""
        return np.take(column.reshape(-1), self.rows)

    def key(self, n: int, index):
        """Index into a flattened [R, n] table."""
        return index + self.rows * n

    def table(self, table, index):
        return table.ravel()[self.key(table.shape[1], index)]

    def counts(self, code, n: int):
        runs = len(self._sizes)
        return np.bincount(self.key(n, code), minlength=runs * n).reshape(runs, n)

    def uniform(self):
        return np.concatenate(
            [rng.random(k, dtype=np.float32) for rng, k in zip(self._be._rngs, self._sizes)]
        )

    def normal(self):
        return np.concatenate(
            [
                rng.standard_normal(k, dtype=np.float32)
                for rng, k in zip(self._be._rngs, self._sizes)
            ]
        )


_MIX = """
__device__ unsigned long long somlab_mix(unsigned long long key, unsigned long long position) {
    unsigned long long z = key + position * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
"""


# Counts of small integer codes per row: each block counts its stretch of one row in shared memory
# (the lanes of a warp holding the same code add once, together), then adds its counts to the
# row's totals: one pass over the codes, and a few global atomic adds per block instead of one
# per element (a bincount) or one block per row (a per-code sum reduction over a long row).
_COUNTS = r"""
extern "C" __global__ void somlab_counts(const int* code, const long long width, const int n,
                                         unsigned long long* out) {
    extern __shared__ unsigned int bins[];
    for (int k = threadIdx.x; k < n; k += blockDim.x) bins[k] = 0;
    __syncthreads();
    const long long row = blockIdx.y;
    const int* c = code + row * width;
    const int lane = threadIdx.x & 31;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < width;
         i += (long long)gridDim.x * blockDim.x) {
        int k = c[i];
        if (k < 0 || k >= n) k = -1;
        unsigned int same = __match_any_sync(__activemask(), k);
        if (k >= 0 && lane == __ffs(same) - 1) atomicAdd(&bins[k], (unsigned int)__popc(same));
    }
    __syncthreads();
    for (int k = threadIdx.x; k < n; k += blockDim.x)
        if (bins[k]) atomicAdd(&out[row * n + k], (unsigned long long)bins[k]);
}
"""


class DeviceCounts:
    """``counts(code, n)``: [R, n] int64, entries of each row of ``code`` equal to 0..n-1; other
    codes are not counted. Compiled when built, so that a device that cannot compile it fails at
    once, with the reason."""

    THREADS = 256

    def __init__(self, cp):
        self._cp = cp
        self._kernel = cp.RawKernel(_COUNTS, "somlab_counts")
        self._kernel.compile()

    def __call__(self, code, n: int):
        cp = self._cp
        code = cp.ascontiguousarray(code, dtype=cp.int32)
        rows, width = code.shape
        out = cp.zeros((rows, n), dtype=cp.int64)
        if width == 0 or rows == 0 or n == 0:
            return out
        per_block = self.THREADS * 16
        blocks = max(1, min(-(-width // per_block), max(1, 4096 // rows)))
        self._kernel(
            (blocks, rows),
            (self.THREADS,),
            (code, np.int64(width), np.int32(n), out),
            shared_mem=4 * n,
        )
        return out


def splitmix(key: np.ndarray, position: np.ndarray) -> np.ndarray:
    """SplitMix64 output number ``position`` of the stream ``key`` (the CuPy generator's
    arithmetic, in numpy)."""
    with np.errstate(over="ignore"):
        z = key.astype(np.uint64) + position.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


class FusedKernel:
    """An elementwise function compiled by ``cupy.fuse`` into one kernel on its first call. The
    same function body runs unchanged on numpy arrays (how its arithmetic is tested on the CPU);
    where the device cannot compile it, it runs as separate CuPy kernels, with one warning."""

    def __init__(self, cp, function, name: str):
        self._plain, self._name = function, name
        self._fused = cp.fuse(kernel_name=f"somlab_{name}")(function)

    def __call__(self, *args):
        if self._fused is not None:
            try:
                return self._fused(*args)
            except Exception as exc:  # noqa: BLE001 - any compilation failure: the plain kernels still run
                _log.warning(
                    "cupy.fuse could not compile %s (%s: %s); running it as separate kernels",
                    self._name,
                    type(exc).__name__,
                    exc,
                )
                self._fused = None
        return self._plain(*args)

    @property
    def is_fused(self) -> bool:
        """False once compilation has failed (the function then runs as plain kernels)."""
        return self._fused is not None


_FUSED: dict[tuple, FusedKernel] = {}


class CupyBackend:
    """Runs on an NVIDIA GPU; state stays on the device for the whole run."""

    name = "cupy"
    exact_sizes = False  # widths stay at the array size: knowing the agents in use would mean a host round trip

    def __init__(self, seeds, cp):
        self.xp = cp
        self._keys = cp.asarray(
            splitmix(np.asarray(seeds, dtype=np.uint64), np.ones(len(seeds), dtype=np.uint64))
        )[:, None]
        self.row_index = cp.arange(len(seeds), dtype=cp.int64)[:, None]  # [R, 1], built once
        self._counts = DeviceCounts(cp)
        self._draws = 0
        self._uniform = cp.ElementwiseKernel(
            "uint64 key, uint64 base, int64 width",
            "float32 u",
            "u = (float)(somlab_mix(key, base + (unsigned long long)(i % width)) >> 40) * (1.0f / 16777216.0f);",
            "somlab_uniform",
            preamble=_MIX,
        )
        # Box-Muller on two draws per column
        self._normal = cp.ElementwiseKernel(
            "uint64 key, uint64 base, int64 width",
            "float32 n",
            """unsigned long long position = base + 2ULL * (unsigned long long)(i % width);
            float u1 = ((float)(somlab_mix(key, position) >> 40) + 0.5f) * (1.0f / 16777216.0f);
            float u2 = (float)(somlab_mix(key, position + 1ULL) >> 40) * (1.0f / 16777216.0f);
            n = sqrtf(-2.0f * logf(u1)) * cospif(2.0f * u2);""",
            "somlab_normal",
            preamble=_MIX,
        )

    def _base(self) -> np.uint64:
        self._draws += 1
        return np.uint64(self._draws << 34)  # 2^33 positions per draw (normals use two per column)

    def uniform(self, width: int):
        out = self.xp.empty((self._keys.shape[0], width), dtype=self.xp.float32)
        return self._uniform(self._keys, self._base(), np.int64(width), out)

    def normal(self, width: int):
        out = self.xp.empty((self._keys.shape[0], width), dtype=self.xp.float32)
        return self._normal(self._keys, self._base(), np.int64(width), out)

    def counts(self, code, n: int):
        """[R, n] entries of each row equal to 0..n-1: one pass, see ``DeviceCounts``."""
        return self._counts(code, n)

    def subset(self, mask) -> DeviceSubset:
        return DeviceSubset(mask, self)

    def free_slots(self, active, totals: np.ndarray) -> tuple[DeviceSubset, object]:
        """The first ``totals[r]`` free slots of each row as a mask (ranked by a running count of
        free slots: no host round trip), and each slot's rank among the free slots of its row."""
        cp = self.xp
        free = ~active
        rank = cp.cumsum(free, axis=1, dtype=cp.int32)
        return DeviceSubset(
            free & (rank <= cp.asarray(totals.astype(np.int32))[:, None]), self
        ), rank

    def fused(self, factory, *static):
        """``factory(cupy, *static)``, an elementwise function of whole arrays, as one fused
        kernel (built once per process and ``static``)."""
        key = (factory, *static)
        if key not in _FUSED:
            _FUSED[key] = FusedKernel(self.xp, factory(self.xp, *static), factory.__name__)
        return _FUSED[key]

    def to_numpy(self, a) -> np.ndarray:
        return self.xp.asnumpy(a)


class DeviceSubset:
    """Some agents of a batch as a mask over the whole arrays: on a GPU, working on every slot
    and masking costs less than compacting (which needs the subset's size on the host)."""

    def __init__(self, mask, be: CupyBackend):
        self.mask, self._be = mask, be
        self._offsets = be.row_index

    def gather(self, array):
        return array

    def select(self, condition) -> DeviceSubset:
        return DeviceSubset(self.mask & condition, self._be)

    def keep(self, values, condition):
        return values

    def scatter(self, array, values) -> None:
        self._be.xp.copyto(array, values, casting="unsafe", where=self.mask)  # one pass, in place

    def param(self, column):
        return column

    def key(self, n: int, index):
        return index + self._offsets * n

    def table(self, table, index):
        return self._be.xp.take(
            table.ravel(), self.key(table.shape[1], self._be.xp.maximum(index, 0))
        )

    def counts(self, code, n: int):
        return self._be.counts(self._be.xp.where(self.mask, code, n), n)

    def uniform(self):
        return self._be.uniform(self.mask.shape[1])

    def normal(self):
        return self._be.normal(self.mask.shape[1])


def make_backend(name: str = "numpy", seeds=(0,)):
    """A backend by name, one random stream per seed. Raises BackendUnavailable with the reason."""
    if name == "numpy":
        return NumpyBackend(seeds)
    if name == "cupy":
        try:
            cp = importlib.import_module("cupy")
            cp.cuda.runtime.getDeviceCount()
        except Exception as exc:  # ImportError, or CUDA runtime errors without a GPU
            raise BackendUnavailable(
                f"backend 'cupy' is not usable here ({exc}); install cupy-cuda12x on a machine with an NVIDIA GPU"
            ) from exc
        return CupyBackend(seeds, cp)
    if name == "jax":
        raise BackendUnavailable(JAX_REASON)
    raise BackendUnavailable(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")


def check_backend(name: str) -> None:
    """Fail early (before any work is distributed) when the backend cannot run here."""
    make_backend(name, (0,))
