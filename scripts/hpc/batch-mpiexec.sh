#!/usr/bin/env bash
# Run a paraview.simple script in parallel with pvbatch and plain mpiexec (no scheduler, no server, no network):
# rank 0 runs the script, every rank computes and renders its partition. batch.sbatch runs this script inside a
# Slurm job (with LAUNCHER=srun or the allocation-aware mpiexec), so both behave the same.
#
#   scripts/hpc/batch-mpiexec.sh my_script.py out.png           # 2 ranks
#   NRANKS=4 LOG_FILE=/tmp/batch.log scripts/hpc/batch-mpiexec.sh my_script.py out.png
#
# Exits with the script's status: 0, its sys.exit() code, or 1 when it raised (every rank still exits).
#
# Variables (all optional):
#   NRANKS           number of MPI ranks (default: 2)
#   PVCOLLAB_DIR     the project's checkout (default: two folders above this script)
#   PVCOLLAB_VENV    its virtualenv, put first on PATH if it exists (default: $PVCOLLAB_DIR/.venv)
#   PV_VERBOSE       log level option: -v, -vv, or empty (default: empty, warnings only)
#   LOG_FILE         per-rank logs: LOG_FILE (rank 0) and LOG_FILE.<rank> (default: none, logs go to stderr)
#   LAUNCHER         mpiexec (default) or srun
#   MPIEXEC          the mpiexec to call (default: mpiexec on PATH, i.e. the virtualenv's MPICH when it has one)
#   MPIEXEC_ARGS     more mpiexec options, split on spaces (e.g. "-f hosts" or "-ppn 4")
#   SRUN_ARGS        more srun options with LAUNCHER=srun, split on spaces (e.g. "--mpi=pmix")
set -euo pipefail

if [ "$#" -lt 1 ]; then
    echo "usage: [NRANKS=N] $0 script.py [args...]" >&2
    exit 2
fi
PVCOLLAB_DIR="${PVCOLLAB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
PVCOLLAB_VENV="${PVCOLLAB_VENV:-$PVCOLLAB_DIR/.venv}"
NRANKS="${NRANKS:-2}"
PV_VERBOSE="${PV_VERBOSE:-}"
LOG_FILE="${LOG_FILE:-}"
LAUNCHER="${LAUNCHER:-mpiexec}"
MPIEXEC="${MPIEXEC:-mpiexec}"
MPIEXEC_ARGS="${MPIEXEC_ARGS:-}"
SRUN_ARGS="${SRUN_ARGS:-}"

if [ -d "$PVCOLLAB_VENV/bin" ]; then
    PATH="$PVCOLLAB_VENV/bin:$PATH"
fi
export PATH VTK_DEFAULT_OPENGL_WINDOW="${VTK_DEFAULT_OPENGL_WINDOW:-vtkEGLRenderWindow}"

case "$LAUNCHER" in
mpiexec)
    read -r -a launcher_args <<<"$MPIEXEC_ARGS"
    launcher_cmd=("$MPIEXEC" -n "$NRANKS")
    ;;
srun)
    read -r -a launcher_args <<<"$SRUN_ARGS"
    launcher_cmd=(srun)
    ;;
*)
    echo "batch-mpiexec.sh: LAUNCHER must be mpiexec or srun, not '$LAUNCHER'" >&2
    exit 2
    ;;
esac
batch_cmd=(pvbatch)
[ -n "$PV_VERBOSE" ] && batch_cmd+=("$PV_VERBOSE")
if [ -n "$LOG_FILE" ]; then
    mkdir -p "$(dirname "$LOG_FILE")"
    batch_cmd+=(--log-file "$LOG_FILE")
fi
exec "${launcher_cmd[@]}" ${launcher_args[@]+"${launcher_args[@]}"} "${batch_cmd[@]}" "$@"
