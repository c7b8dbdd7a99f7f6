"""Runs one corpus script the way ParaView's test driver does, under whichever pvpython runs this file.

Usage: ``pvpython harness.py OUT_DIR SCRIPT [ARGS...]``. The same file runs under ParaView 5.11's pvpython and
under this project's, so that both sides are treated alike: the script runs as ``__main__`` in OUT_DIR with
ARGS as its ``sys.argv``; ``smtesting.DoRegressionTesting`` (which compares with a baseline image that Debian's
source package does not ship) is replaced by saving the active view's image, so that the runner can compare the
two sides' pictures instead; after the script, the active view's image is saved once more if none was. What came
of it is written to OUT_DIR/result.json; the script's own printing goes to stdout as usual.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import traceback
from pathlib import Path


def main() -> None:
    out, script, args = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve(), sys.argv[3:]
    images: list[str] = []

    def save_image(view: object = None) -> bool:
        from paraview import servermanager, simple

        # DoRegressionTesting is given the view's C++ proxy (view.SMProxy), or nothing for the active view.
        view = simple.GetActiveView() if view is None else servermanager._getPyProxy(view)
        if view is None:
            return False
        path = out / f"image-{len(images)}.png"
        simple.SaveScreenshot(str(path), view)
        if not path.exists():  # ParaView saves no picture of a spreadsheet view, and says nothing
            return False
        images.append(path.name)
        return True

    try:
        from paraview import smtesting

        smtesting.DoRegressionTesting = lambda view=None, *_args, **_kwargs: save_image(view)
    except ImportError as exc:  # the script's own import will say so too, where it needs smtesting
        print(f"harness: no paraview.smtesting ({exc})", file=sys.stderr)

    sys.argv = [str(script), *args]
    sys.path.insert(0, str(script.parent))  # as running the file directly would
    os.chdir(out)
    status, error = "passed", ""
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            status, error = "failed", f"SystemExit({exc.code})"
    except BaseException as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}".strip().splitlines()[0][:300]
        traceback.print_exc()
    sys.stdout.flush()
    if status == "passed" and not images:
        try:
            save_image()
        except Exception as exc:
            print(f"harness: no final image ({type(exc).__name__}: {exc})", file=sys.stderr)
    (out / "result.json").write_text(json.dumps({"status": status, "error": error, "images": images}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
