#!/usr/bin/env bash
# ParaView compatibility: runs ParaView 5.11's own Python tests that need no data files under real ParaView and
# under this project (built-in session, 2 and 4 ranks) and prints the comparison table (scripts/compat/run.py).
# Installs what it needs: the project's venv, and Debian's paraview and xvfb packages (needs root or sudo).
# Not part of CI: it downloads ParaView's source package (120 MB, pinned by its SHA-256) and takes ~15 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x /usr/bin/pvpython ] || ! command -v Xvfb > /dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq paraview xvfb > /dev/null
fi
exec .venv/bin/python scripts/compat/run.py "$@"
