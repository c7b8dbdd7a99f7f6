#!/usr/bin/env bash
# Set up everything this project needs, idempotently: system libraries for offscreen rendering (EGL + Mesa),
# a virtualenv in .venv, and the project with its test dependencies. Quick when nothing changed.
#   PVCOLLAB_SITE_MPI=1  use the site's MPI (mpi4py built against it) instead of MPICH from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ldconfig -p 2>/dev/null | grep -q 'libEGL_mesa\|libEGL_nvidia'; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "setup: installing EGL/Mesa for offscreen rendering (apt-get)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            libegl1 libegl-mesa0 libgl1-mesa-dri libglx-mesa0 >/dev/null
    else
        echo "setup: warning: no EGL library found; install your distribution's libEGL + Mesa for rendering" >&2
    fi
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
extras="test"
[ "${PVCOLLAB_SITE_MPI:-0}" = 1 ] || extras="test,mpich"
stamp=".venv/.pvcollab-installed"
want="$(cat setup.cfg pyproject.toml | sha256sum | cut -c1-16) $extras"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: installing the project and its dependencies into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[$extras]"
    echo "$want" > "$stamp"
fi
