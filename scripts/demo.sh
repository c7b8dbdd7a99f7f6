#!/usr/bin/env bash
# Set up (idempotently) and run the demo: a 4-rank server, two clients, a pipeline, out/demo.png.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export VTK_DEFAULT_OPENGL_WINDOW=vtkEGLRenderWindow
.venv/bin/python scripts/demo.py
