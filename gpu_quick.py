import sys, time, traceback
sys.path.insert(0, "bench"); sys.path.insert(0, "src")
import numpy as np
import cupy as cp
from somlab.sim import reference
import bench_sim

def sync(): cp.cuda.Device().synchronize()
def timed(f, k=2):
    ts = []
    for _ in range(k):
        t = time.perf_counter(); f(); sync(); ts.append(time.perf_counter() - t)
    return float(np.median(ts))

def step(label, f):
    try:
        f()
    except Exception:
        print(f"[{label}] FAILED"); traceback.print_exc()

def counts_check():
    from somlab.sim.backend import DeviceCounts
    c = DeviceCounts(cp); rng = np.random.default_rng(4)
    for rows, width, n in ((1, 10_000_019, 5), (7, 20_011, 60), (1000, 517, 3)):
        code = rng.integers(-1, n + 2, (rows, width)).astype(np.int32)
        exp = np.stack([np.bincount(r[(r >= 0) & (r < n)], minlength=n) for r in code])
        print("counts ok", rows, width, n, np.array_equal(cp.asnumpy(c(cp.asarray(code), n)), exp))
    code = cp.asarray(rng.integers(0, 5, (1, 10_000_000)).astype(np.int32))
    print("counts 1e7 x 5: %.1f us" % (1e6 * timed(lambda: [c(code, 5) for _ in range(100)]) / 100))
    print("old way 1e7 x 5: %.1f us" % (1e6 * timed(lambda: [cp.stack([(code == k).sum(axis=1) for k in range(5)], axis=1) for _ in range(20)]) / 20))

def plain(n, steps, seed=1):
    rng = cp.random.default_rng(seed); death = cp.asarray(reference.DEATH.astype(np.float32))
    attempts = cp.zeros(n, cp.int32); price = cp.asarray(reference.PRICE0); deaths = cp.zeros((), cp.int64)
    for _ in range(steps):
        cum = cp.cumsum(reference.choice_weights(price, cp)); bounds = (cum[:-1] / cum[-1]).astype(cp.float32)
        route = cp.searchsorted(bounds, rng.random(n, dtype=cp.float32), side="right")
        died = rng.random(n, dtype=cp.float32) < death[route]
        deaths += died.sum(); attempts = cp.where(died, 0, attempts + 1)
        price = reference.update_price(price, cp.bincount(route, minlength=5).astype(float), n, cp)
    return int(deaths)

def ref():
    reference.run(1_000_000, 2, backend="cupy"); plain(1_000_000, 2)
    n, s = 100_000_000, 100
    t = timed(lambda: reference.run(n, s, backend="cupy")); print(f"reference somlab cupy: {n*s/t:.3e} agent-steps/s ({t:.2f} s)")
    t2 = timed(lambda: plain(n, s)); print(f"reference plain cupy (searchsorted+bincount): {n*s/t2:.3e} ({t2:.2f} s); ratio {t2/t:.2f}")
    print("deaths 20k x 40 seeds 1-6 cupy:", [reference.run(20_000, 40, k, "cupy")[0] for k in range(1, 7)], "numpy:", [reference.run(20_000, 40, k)[0] for k in range(1, 7)])

def full():
    scale = ["params.pool_agents=10000000", "params.persons_per_agent=1"]
    bench_sim._full_run("cupy", ["params.pool_agents=100000", "params.persons_per_agent=1"])
    wall, steps, hub, runs = bench_sim._full_run("cupy", scale, repeats=1)
    print(f"full model cupy 1e7: {steps/wall:.3e} agent-steps/s, {wall:.2f} s a run, hub {hub:,.0f}, arrivals {runs[0]['arrivals'].sum():,.0f}")
    wall, *_ = bench_sim._full_run("cupy", (), 1000)
    print(f"ensemble 1000 bundled cupy: {wall:.2f} s")

step("counts", counts_check); step("reference", ref); step("full", full)
