#!/usr/bin/env bash
# Start an MPI-parallel pvserver with plain mpiexec (no scheduler), and publish "host:port" in a file once it
# accepts connections; scripts/hpc/client.sh waits for that file and connects. pvserver.sbatch runs this script
# inside a Slurm job (with LAUNCHER=srun or the allocation-aware mpiexec), so both behave the same.
#
#   scripts/hpc/server-mpiexec.sh                                   # 2 ranks on localhost, a free port
#   NRANKS=4 PV_ARGS=--multi-clients PORT_FILE=/tmp/pv.port scripts/hpc/server-mpiexec.sh
#
# It runs in the foreground until pvserver exits: without --multi-clients when its one client leaves, otherwise
# on SIGINT/SIGTERM (forwarded to the ranks) or after PV_TIMEOUT minutes. The address file is removed on exit.
#
# Variables (all optional):
#   NRANKS           number of MPI ranks (default: 2)
#   PVCOLLAB_DIR     the project's checkout (default: two folders above this script)
#   PVCOLLAB_VENV    its virtualenv, put first on PATH if it exists (default: $PVCOLLAB_DIR/.venv)
#   SHARED_DIR       folder for the address file and the logs (default: $HOME/.pvcollab); on a cluster, one
#                    that the compute nodes and the login nodes both see
#   PORT_FILE        where "host:port" is written once the server is ready (default: $SHARED_DIR/pvserver.port)
#   PV_HOST          interface rank 0 listens on (default: localhost). pvserver writes "PV_HOST:port" to the
#                    file, so clients on other machines need a name or address of this machine they can reach
#                    (`hostname`, `hostname -f`, the address of ib0/eth0). 0.0.0.0 (or ::) listens on every
#                    interface; the file then names $PV_PUBLISH_HOST instead.
#   PV_PUBLISH_HOST  with a wildcard PV_HOST: the name written to the file (default: `hostname`)
#   TOKEN_FILE       the server's secret token: clients must present it (client.sh does). Generated for this run,
#                    readable by you only, and removed on exit, unless the file exists already (then it is used
#                    and kept). Default: PORT_FILE with .token for .port; empty for no token, which pvserver allows
#                    on localhost only (on a shared machine, other users reach localhost too).
#   PV_PORT          port to listen on (default: 0, a free one; the file tells which)
#   PV_TIMEOUT       minutes after which the server stops by itself (default: 0, never)
#   PV_ARGS          more pvserver options, split on spaces (e.g. "--multi-clients --connect-id 7", or
#                    "--tls-cert cert.pem --tls-key key.pem" to encrypt the traffic)
#   PV_VERBOSE       log level option: -v (default), -vv, or empty for warnings only
#   LOG_FILE         per-rank logs: LOG_FILE (rank 0) and LOG_FILE.<rank> (default: $SHARED_DIR/logs/pvserver.log)
#   LAUNCHER         mpiexec (default) or srun
#   MPIEXEC          the mpiexec to call (default: mpiexec on PATH, i.e. the virtualenv's MPICH when it has one)
#   MPIEXEC_ARGS     more mpiexec options, split on spaces (e.g. "-f hosts" or "-ppn 4")
#   SRUN_ARGS        more srun options with LAUNCHER=srun, split on spaces (e.g. "--mpi=pmix")
set -euo pipefail

PVCOLLAB_DIR="${PVCOLLAB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
PVCOLLAB_VENV="${PVCOLLAB_VENV:-$PVCOLLAB_DIR/.venv}"
NRANKS="${NRANKS:-2}"
SHARED_DIR="${SHARED_DIR:-$HOME/.pvcollab}"
PORT_FILE="${PORT_FILE:-$SHARED_DIR/pvserver.port}"
PV_HOST="${PV_HOST:-localhost}"
TOKEN_FILE="${TOKEN_FILE-${PORT_FILE%.port}.token}"
PV_PORT="${PV_PORT:-0}"
PV_TIMEOUT="${PV_TIMEOUT:-0}"
PV_ARGS="${PV_ARGS:-}"
PV_VERBOSE="${PV_VERBOSE--v}"
LOG_FILE="${LOG_FILE:-$SHARED_DIR/logs/pvserver.log}"
LAUNCHER="${LAUNCHER:-mpiexec}"
MPIEXEC="${MPIEXEC:-mpiexec}"
MPIEXEC_ARGS="${MPIEXEC_ARGS:-}"
SRUN_ARGS="${SRUN_ARGS:-}"

if [ -d "$PVCOLLAB_VENV/bin" ]; then
    PATH="$PVCOLLAB_VENV/bin:$PATH"
fi
export PATH VTK_DEFAULT_OPENGL_WINDOW="${VTK_DEFAULT_OPENGL_WINDOW:-vtkEGLRenderWindow}"
port_dir="$(dirname "$PORT_FILE")"
if [ ! -d "$port_dir" ]; then
    mkdir -p "$port_dir"
    chmod 700 "$port_dir" # it holds the token too: yours only
fi
mkdir -p "$(dirname "$LOG_FILE")"
rm -f "$PORT_FILE" # a stale file from an earlier run would send a client to the wrong place

# pvserver itself writes "<--host>:<port>" to --port-file (atomically) once it accepts connections, and removes
# it when it stops. With a wildcard --host it writes a private file, published below under a reachable name.
server_file="$PORT_FILE"
case "$PV_HOST" in
0.0.0.0 | "::" | "[::]")
    server_file="$PORT_FILE.listen"
    PV_PUBLISH_HOST="${PV_PUBLISH_HOST:-$(hostname)}"
    ;;
esac
read -r -a extra <<<"$PV_ARGS"
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
    echo "server-mpiexec.sh: LAUNCHER must be mpiexec or srun, not '$LAUNCHER'" >&2
    exit 2
    ;;
esac
server_cmd=(pvserver --host "$PV_HOST" --port "$PV_PORT" --port-file "$server_file" --timeout "$PV_TIMEOUT"
    --log-file "$LOG_FILE")
[ -n "$PV_VERBOSE" ] && server_cmd+=("$PV_VERBOSE")
generated_token=""
if [ -n "$TOKEN_FILE" ]; then
    server_cmd+=(--token-file "$TOKEN_FILE") # pvserver writes a new token there (mode 600) when it does not exist
    [ -e "$TOKEN_FILE" ] || generated_token="$TOKEN_FILE"
else
    server_cmd+=(--no-token) # pvserver refuses this beyond localhost
fi

trap 'rm -f "$PORT_FILE" "$PORT_FILE.listen" "$PORT_FILE.tmp"; [ -z "$generated_token" ] || rm -f "$generated_token"' EXIT
"${launcher_cmd[@]}" ${launcher_args[@]+"${launcher_args[@]}"} "${server_cmd[@]}" ${extra[@]+"${extra[@]}"} &
server_pid=$!
trap 'kill -TERM "$server_pid" 2>/dev/null || true' INT TERM
echo "server-mpiexec.sh: pvserver on $NRANKS rank(s) via $LAUNCHER; address file $PORT_FILE; logs ${LOG_FILE}[.<rank>]"

if [ "$server_file" != "$PORT_FILE" ]; then
    while [ ! -s "$server_file" ] && kill -0 "$server_pid" 2>/dev/null; do sleep 0.2; done
    if [ -s "$server_file" ]; then
        port="$(sed 's/.*://' "$server_file")"
        echo "$PV_PUBLISH_HOST:$port" >"$PORT_FILE.tmp"
        mv -f "$PORT_FILE.tmp" "$PORT_FILE" # atomic: a reader never sees half a line
    fi
fi

status=0
wait "$server_pid" || status=$?
while kill -0 "$server_pid" 2>/dev/null; do # a trapped signal interrupted wait; wait for the ranks to leave
    status=0
    wait "$server_pid" || status=$?
done
echo "server-mpiexec.sh: pvserver exited with status $status"
exit "$status"
