"""``pvserver``: the MPI-parallel data server.

Run it under MPI, e.g. ``mpiexec -n 4 pvserver --port 11111``. Rank 0 serves gRPC clients; the other ranks
wait for its commands. Without ``--multi-clients`` it serves one client and exits when that client leaves.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

DEFAULT_PORT = 11111


def build_parser() -> argparse.ArgumentParser:
    """The command line, with ParaView's option names where ParaView has them."""
    parser = argparse.ArgumentParser(
        prog="pvserver",
        description="MPI-parallel data server. Start it with mpiexec -n N pvserver [options]; "
        "rank 0 accepts clients over gRPC and the other ranks compute their partitions.",
    )
    parser.add_argument(
        "--host",
        default="localhost",
        help="interface to listen on (default: localhost; use 0.0.0.0 to listen on all)",
    )
    parser.add_argument(
        "-p",
        "--port",
        "--server-port",
        dest="port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on; 0 picks a free one (default: {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--port-file", type=Path, help="write 'host:port' to this file once the server accepts connections"
    )
    parser.add_argument("--connect-id", type=int, default=0, help="clients must present the same id (default: 0, none)")
    parser.add_argument(
        "--multi-clients",
        action="store_true",
        help="collaborative mode: accept several clients and keep running when they leave",
    )
    parser.add_argument("--max-clients", type=int, default=0, help="with --multi-clients: at most N at once")
    parser.add_argument("--timeout", type=float, default=0, help="stop after this many minutes (default: 0, never)")
    parser.add_argument(
        "--force-offscreen-rendering",
        action="store_true",
        help="accepted for ParaView compatibility; rendering is always offscreen",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-v info, -vv debug)")
    parser.add_argument("--log-file", type=Path, help="append the log to this file (one per rank: FILE.<rank>)")
    return parser


def setup_logging(rank: int, verbose: int, log_file: Path | None) -> None:
    """Per-rank logging, each line saying which rank wrote it."""
    level = logging.WARNING - 10 * min(verbose, 2)
    handler: logging.Handler
    if log_file is not None:
        handler = logging.FileHandler(f"{log_file}.{rank}" if rank else str(log_file))
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"%(asctime)s [rank {rank}] %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of every rank."""
    args = build_parser().parse_args(argv)
    if args.port < 0 or args.port > 65535:
        print(f"pvserver: --port must be 0..65535, not {args.port}", file=sys.stderr)
        return 2
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")  # no X server on compute nodes
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    setup_logging(comm.Get_rank(), args.verbose, args.log_file)
    if comm.Get_rank() != 0:
        from pvserver.worker import run_worker

        return run_worker(comm)
    return run_root(args, comm)


def run_root(args: argparse.Namespace, comm: object) -> int:
    """Rank 0: start the engine and the gRPC front end, serve until told to stop."""
    from pvserver.engine import Engine
    from pvserver.frontend import Frontend, start_grpc_server
    from pvserver.service import ServerOptions, Service

    log = logging.getLogger("pvserver")
    stop = threading.Event()
    engine = Engine(comm).start()
    service = Service(engine, ServerOptions(args.multi_clients, args.connect_id, args.max_clients))

    def client_left() -> None:
        if not args.multi_clients and service.client_count == 0:
            log.info("the client disconnected; single-client server exits")
            stop.set()

    frontend = Frontend(service, engine, on_client_left=client_left)
    try:
        server, port = start_grpc_server(frontend, args.host, args.port, args.max_clients)
    except OSError as exc:
        print(f"pvserver: {exc}", file=sys.stderr)
        engine.stop()
        return 1
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    address = f"{args.host}:{port}"
    print(f"Accepting connection(s): {address}", flush=True)
    if args.port_file:
        tmp = args.port_file.with_name(args.port_file.name + ".tmp")
        tmp.write_text(address + "\n")
        tmp.replace(args.port_file)  # atomic: a reader never sees half a line
    deadline = args.timeout * 60 if args.timeout > 0 else None
    waited = 0.0
    while not stop.wait(0.5):
        waited += 0.5
        if deadline is not None and waited >= deadline:
            log.warning("--timeout of %g minutes reached; stopping", args.timeout)
            break
    server.stop(grace=1.0).wait()
    engine.stop()
    if args.port_file:
        args.port_file.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
