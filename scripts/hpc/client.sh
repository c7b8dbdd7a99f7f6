#!/usr/bin/env bash
# Wait for a pvserver's address file (written by server-mpiexec.sh or pvserver.sbatch once the server accepts
# connections), then run pvpython against it: pvpython --url cs://$(cat PORT_FILE) [script.py [args...]].
#
#   scripts/hpc/client.sh my_script.py arg1 arg2        # waits for $HOME/.pvcollab/pvserver.port
#   JOB_ID=123456 scripts/hpc/client.sh my_script.py    # the address of Slurm job 123456 (pvserver.sbatch)
#   PORT_FILE=/tmp/pv.port scripts/hpc/client.sh        # no script: an interactive pvpython prompt
#
# Exits 3 when the file does not appear within WAIT_TIMEOUT seconds; otherwise with pvpython's status.
#
# Variables (all optional):
#   PVCOLLAB_DIR     the project's checkout (default: two folders above this script)
#   PVCOLLAB_VENV    its virtualenv, put first on PATH if it exists (default: $PVCOLLAB_DIR/.venv)
#   SHARED_DIR       the folder the server writes its address file to (default: $HOME/.pvcollab)
#   JOB_ID           the Slurm job id of a pvserver.sbatch job: PORT_FILE defaults to $SHARED_DIR/pvserver-$JOB_ID.port
#   PORT_FILE        the address file to wait for (default: $SHARED_DIR/pvserver.port, or the JOB_ID one)
#   TOKEN_FILE       the server's secret token, passed with --token-file when the file exists (default: PORT_FILE
#                    with .token for .port, where server-mpiexec.sh and pvserver.sbatch have pvserver write it)
#   WAIT_TIMEOUT     seconds to wait for the file, e.g. while the job is queued (default: 600)
#   PV_CONNECT_ID    the server's --connect-id (default: 0, none)
#   PV_USER          your user name in a collaboration (default: none)
#   PV_CLIENT_ARGS   more pvpython options, split on spaces (e.g. "--multi-servers", or "--tls-ca cert.pem" for a
#                    server started with --tls-cert)
set -euo pipefail

PVCOLLAB_DIR="${PVCOLLAB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
PVCOLLAB_VENV="${PVCOLLAB_VENV:-$PVCOLLAB_DIR/.venv}"
SHARED_DIR="${SHARED_DIR:-$HOME/.pvcollab}"
if [ -n "${JOB_ID:-}" ]; then
    PORT_FILE="${PORT_FILE:-$SHARED_DIR/pvserver-$JOB_ID.port}"
fi
PORT_FILE="${PORT_FILE:-$SHARED_DIR/pvserver.port}"
TOKEN_FILE="${TOKEN_FILE:-${PORT_FILE%.port}.token}"
WAIT_TIMEOUT="${WAIT_TIMEOUT:-600}"
PV_CONNECT_ID="${PV_CONNECT_ID:-0}"
PV_USER="${PV_USER:-}"
PV_CLIENT_ARGS="${PV_CLIENT_ARGS:-}"

if [ -d "$PVCOLLAB_VENV/bin" ]; then
    PATH="$PVCOLLAB_VENV/bin:$PATH"
fi
export PATH

SECONDS=0
until [ -s "$PORT_FILE" ]; do
    if [ "$SECONDS" -ge "$WAIT_TIMEOUT" ]; then
        echo "client.sh: no server address in $PORT_FILE after $WAIT_TIMEOUT s (is the server job running?" \
            "check squeue and its log)" >&2
        exit 3
    fi
    sleep 0.5
done
read -r address <"$PORT_FILE"
case "$address" in
*:[0-9]*) ;;
*)
    echo "client.sh: $PORT_FILE does not hold host:port but '$address'" >&2
    exit 3
    ;;
esac
echo "client.sh: connecting to cs://$address" >&2
read -r -a extra <<<"$PV_CLIENT_ARGS"
if [ -e "$TOKEN_FILE" ]; then
    extra+=(--token-file "$TOKEN_FILE") # written before the address file, so it is there by now
fi
exec pvpython --url "cs://$address" --connect-id "$PV_CONNECT_ID" --user "$PV_USER" ${extra[@]+"${extra[@]}"} "$@"
