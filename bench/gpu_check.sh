#!/usr/bin/env bash
# One command on a GPU machine: the backends' agreement test, then the GPU section of the
# simulator benchmark. Everything it prints is also written under "$OUT". Sized to finish in
# under 6 minutes on one H200; a missing CuPy or JAX gives rows and skips that say why.
#
#   OUT=/some/folder bash bench/gpu_check.sh
#   OUT=/tmp/out GPU_BENCH_ARGS="--gpu-agents 1000000 --full-agents 100000" bash bench/gpu_check.sh   # smaller, e.g. on a CPU
set -u
: "${OUT:?set OUT to the folder that receives the output}"
mkdir -p "$OUT"
cd "$(dirname "$0")/.."
export PYTHONPATH=src PYTHONUNBUFFERED=1 XLA_PYTHON_CLIENT_PREALLOCATE=false
PY=${PYTHON:-python3}
start=$(date +%s)

{
  echo "== environment"
  date -u
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 | head -3
  $PY -c "import sys, numpy; print('python', sys.version.split()[0], '| numpy', numpy.__version__)"
  $PY -c "import cupy; print('cupy', cupy.__version__, '|', cupy.cuda.runtime.getDeviceCount(), 'device(s)')" 2>&1 | tail -1
  $PY -c "import jax; print('jax', jax.__version__, '|', jax.devices())" 2>&1 | tail -1
} 2>&1 | tee "$OUT/environment.txt"

echo "== agreement test: numpy vs CuPy (full model, reference) and numpy vs JAX (reference)" | tee "$OUT/agreement.txt"
if $PY -c "import pytest" 2>/dev/null; then
  timeout 120 $PY -m pytest tests/sim/test_backends.py -q -rs -p no:cacheprovider -o addopts="" 2>&1 | tee -a "$OUT/agreement.txt"
  echo "pytest exit status: ${PIPESTATUS[0]}" | tee -a "$OUT/agreement.txt"
else
  echo "pytest is not installed here; the agreement rows of the bench table below stand in for it" | tee -a "$OUT/agreement.txt"
fi

echo "== GPU bench section" | tee "$OUT/bench_gpu.txt"
# shellcheck disable=SC2086
timeout 210 $PY bench/bench_sim.py --gpu ${GPU_BENCH_ARGS:-} 2>&1 | tee -a "$OUT/bench_gpu.txt"
echo "bench exit status: ${PIPESTATUS[0]}" | tee -a "$OUT/bench_gpu.txt"
echo "gpu_check done in $(( $(date +%s) - start )) s" | tee -a "$OUT/bench_gpu.txt"
