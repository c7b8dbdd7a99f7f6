"""``pvbatch``: run a script in parallel, with no server and no network.

``mpiexec -n N pvbatch script.py args...``: rank 0 runs the script against an in-process engine that spans
all N ranks (every rank computes and renders its partition, as in pvserver); the other ranks run the worker
loop. The same script also runs under ``pvpython`` against a remote server.

``mpiexec -n N pvbatch --symmetric script.py``: every rank runs the script, as ParaView's symmetric mode; rank 0's
``simple`` calls drive the engine and the other ranks' get rank 0's answers (pvclient.symmetric), so every rank
sees the same proxies, data information and images, while it also computes its partition.
"""

from __future__ import annotations

import argparse
import logging
import os
import runpy
import sys
import threading
import traceback
from typing import Any

from pvclient import catalogues
from pvclient.cli import install_global_controller
from pvclient.connection import Connection
from pvclient.symmetric import FollowerTransport, LeaderTransport, SymmetricController
from pvcore import __version__, messages
from pvserver.cli import add_shared_options, apply_display_options, bare_verbosity_as_info, setup_logging
from pvserver.worker import run_worker


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="pvbatch",
        description="Run a paraview.simple script (from simple import *) in parallel: mpiexec -n N pvbatch "
        "script.py [args]. No server, no interactive calls (Connect(host), collaboration).",
        allow_abbrev=False,  # a misspelt option is an error, not silently another option
    )
    parser.add_argument(
        "-s",
        "--sym",
        "--symmetric",
        dest="symmetric",
        action="store_true",
        help="run the script on every rank (rank 0's simple calls drive the job; the others get the same answers)",
    )
    add_shared_options(parser)
    parser.add_argument("script", help="the script to run on rank 0 (every rank with --symmetric)")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of every rank."""
    args = build_parser().parse_args(bare_verbosity_as_info(sys.argv[1:] if argv is None else argv))
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    setup_logging(comm.Get_rank(), args.verbosity, args.log_file, args.logs)
    try:
        apply_display_options(args, comm.Get_rank(), "pvbatch")
    except ValueError as exc:
        print(f"pvbatch: {exc}", file=sys.stderr)
        return 2
    if args.symmetric:
        return run_symmetric(args, comm)
    if comm.Get_rank() != 0:
        return run_worker(comm)
    install_global_controller()
    import simple

    simple.state.batch_comm = comm
    # opened here, once: a later Connect() returns it, and after Disconnect() is refused (its workers are gone)
    return run_script(args, simple.connections.use_connection(Connection.builtin(comm)))


def run_script(args: argparse.Namespace, connection: Connection) -> int:
    """Run the script with its arguments; returns its exit code. Closes ``connection`` whatever happens."""
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
        connection.close()  # rank 0: tells the workers to leave their loop, whatever the script did
        logging.shutdown()
    return code


def thread_level_problem(mpi: Any) -> str:
    """Why ``--symmetric`` cannot run on this MPI ('' when it can). Each rank makes MPI calls from two threads
    (rank 0: its script's thread broadcasts replies while the engine thread computes; the others: the script's
    thread takes them while the main thread runs the worker loop), which needs MPI_THREAD_MULTIPLE."""
    levels = {
        mpi.THREAD_SINGLE: "MPI_THREAD_SINGLE",
        mpi.THREAD_FUNNELED: "MPI_THREAD_FUNNELED",
        mpi.THREAD_SERIALIZED: "MPI_THREAD_SERIALIZED",
        mpi.THREAD_MULTIPLE: "MPI_THREAD_MULTIPLE",
    }
    given = mpi.Query_thread()
    if given == mpi.THREAD_MULTIPLE:
        return ""
    library = (mpi.Get_library_version().strip().splitlines() or ["an unknown MPI"])[0].strip()
    return (
        f"pvbatch --symmetric needs MPI_THREAD_MULTIPLE (every rank makes MPI calls from two threads), but this MPI "
        f"({library}) gave {levels.get(given, given)}. Use an MPI built with thread support (MPICH, Open MPI "
        "with --enable-mpi-thread-multiple), leave mpi4py.rc.thread_level at 'multiple', or run without --symmetric."
    )


def run_symmetric(args: argparse.Namespace, world: Any) -> int:
    """``--symmetric``: the script on every rank (pvclient.symmetric). Ranks other than 0 run it on a thread,
    as their main thread serves the engine's commands (the worker loop owns the signals)."""
    from mpi4py import MPI

    problem = thread_level_problem(MPI)
    if problem:
        if world.Get_rank() == 0:
            print(problem, file=sys.stderr)
        return 2
    engine_comm, replies = world.Dup(), world.Dup()  # neither mixes with the script's own use of COMM_WORLD
    install_global_controller(SymmetricController(world.Dup()))
    import simple

    simple.state.batch_comm = engine_comm
    simple.state.symmetric_rank = world.Get_rank()
    hello = messages.Hello(client_version=__version__, definitions_digest=catalogues.known_digest("builtin:"))
    if world.Get_rank() == 0:
        leader = Connection(LeaderTransport(hello, engine_comm, replies), "builtin:")
        return run_script(args, simple.connections.use_connection(leader))
    codes: list[int] = []

    def follow() -> None:  # the follower's welcome comes once rank 0's engine, served below, has started
        follower = simple.connections.use_connection(Connection(FollowerTransport(replies), "builtin:"))
        codes.append(run_script(args, follower))

    script = threading.Thread(target=follow, name="pvbatch-symmetric-script")
    script.start()
    run_worker(engine_comm)
    script.join()
    return codes[0] if codes else 1


if __name__ == "__main__":
    sys.exit(main())
