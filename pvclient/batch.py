"""``pvbatch``: run a script in parallel, with no server and no network.

``mpiexec -n N pvbatch script.py args...``: rank 0 runs the script against an in-process engine that spans
all N ranks (every rank computes and renders its partition, as in pvserver); the other ranks run the worker
loop. The same script also runs under ``pvpython`` against a remote server.
"""

from __future__ import annotations

import argparse
import logging
import os
import runpy
import sys
import traceback


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="pvbatch",
        description="Run a paraview.simple script (from simple import *) in parallel: mpiexec -n N pvbatch "
        "script.py [args]. No server, no interactive calls (Connect(host), collaboration).",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-v info, -vv debug)")
    parser.add_argument("--log-file", help="append the log to this file (one per rank: FILE.<rank>)")
    parser.add_argument("script", help="the script to run on rank 0")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of every rank."""
    args = build_parser().parse_args(argv)
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    from mpi4py import MPI

    from pvserver.cli import setup_logging

    comm = MPI.COMM_WORLD
    setup_logging(comm.Get_rank(), args.verbose, args.log_file)
    if comm.Get_rank() != 0:
        from pvserver.worker import run_worker

        return run_worker(comm)
    import simple

    simple.state.batch_comm = comm
    connection = simple.Connect()
    code = 0
    try:
        sys.argv = [args.script, *args.args]
        runpy.run_path(args.script, run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        connection.close()  # tells the workers to leave their loop, whatever the script did
        logging.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
