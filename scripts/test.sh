#!/usr/bin/env bash
# Set up (idempotently) and run every check: lint, format, unit/in-process/multi-process tests, MPI-rank tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH" VTK_DEFAULT_OPENGL_WINDOW=vtkEGLRenderWindow
ruff check .
ruff format --check .
python -m pytest -q --ignore=tests/mpi "$@"
# The worker loop and compositing inside real MPI ranks, on several rank counts (not only powers of two).
for n in 2 3; do
    mpiexec -n "$n" python -m pytest -q -p no:cacheprovider --with-mpi tests/mpi
done
