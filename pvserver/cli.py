"""``pvserver``: the MPI-parallel data server.

Run it under MPI, e.g. ``mpiexec -n 4 pvserver --port 11111``. Rank 0 serves gRPC clients; the other ranks
wait for its commands. Without ``--multi-clients`` it serves one client and exits when that client leaves.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import resource
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

from pvcore import tokens
from pvcore.errors import ServerBusyError
from pvserver import reverse
from pvserver.cli_options import add_shared_options, apply_display_options, bare_verbosity_as_info, setup_logging
from pvserver.pipeline import rank_limits, sandbox
from pvserver.pipeline.budget import default_budget, parse_size, ranks_on_this_node

DEFAULT_PORT = 11111
#: Seconds rank 0 waits for the engine to stop on SIGTERM before it aborts the MPI job.
STOP_SECONDS = 10.0


def build_parser() -> argparse.ArgumentParser:
    """The command line, with ParaView's option names where ParaView has them."""
    parser = argparse.ArgumentParser(
        prog="pvserver",
        description="MPI-parallel data server. Start it with mpiexec -n N pvserver [options]; "
        "rank 0 accepts clients over gRPC and the other ranks compute their partitions.",
        allow_abbrev=False,  # a misspelt option is an error, not silently another option
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
        "--sp",
        "-sp",
        dest="port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on; 0 picks a free one (default: {DEFAULT_PORT}). With --reverse-connection: the port "
        "the client listens on",
    )
    parser.add_argument(
        "-r",
        "--rc",
        "-rc",
        "--reverse-connection",
        dest="reverse_connection",
        action="store_true",
        help="reverse connection: dial the client (pvpython --url csrc://HOST:PORT) at --client-host:--server-port "
        "instead of listening, for servers the client cannot reach (compute nodes behind a firewall)",
    )
    parser.add_argument(
        "--client-host", default="localhost", help="with --reverse-connection: the client's host (default: localhost)"
    )
    parser.add_argument(
        "--hostname", help="the name clients reach this server by, as printed and written to --port-file"
    )
    parser.add_argument(
        "--disable-further-connections",
        action="store_true",
        help="with --multi-clients: once the first client joined, refuse any other",
    )
    parser.add_argument(
        "--port-file", type=Path, help="write 'host:port' to this file once the server accepts connections"
    )
    parser.add_argument("--connect-id", type=int, default=0, help="clients must present the same id (default: 0, none)")
    parser.add_argument(
        "--token-file",
        type=Path,
        help="the secret token clients must prove they know: read from this file (which only you may read), or "
        "generated and written to it if it does not exist. Without it a token is generated; either way it is "
        "written, readable by you only, where your local clients find it by themselves (see the README, Security)",
    )
    parser.add_argument(
        "--no-token",
        action="store_true",
        help="let anyone who can reach the port join, without a token (localhost only; any local user could then "
        "read what this server can read)",
    )
    python = parser.add_mutually_exclusive_group()
    python.add_argument(
        "--allow-python",
        action="store_true",
        help="with --no-token: let clients run Python (ProgrammableFilter, ProgrammableSource, PythonCalculator); "
        "any local user could then run any program as you. Servers with a token allow it to their master",
    )
    python.add_argument(
        "--no-python",
        action="store_true",
        help="refuse ProgrammableFilter, ProgrammableSource and PythonCalculator even to token holders",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path.cwd(),
        help="read and write data only under this folder (default: the folder pvserver was started in)",
    )
    parser.add_argument("--tls-cert", type=Path, help="PEM certificate: serve over TLS (needs --tls-key)")
    parser.add_argument("--tls-key", type=Path, help="PEM private key of --tls-cert")
    parser.add_argument(
        "--multi-clients",
        action="store_true",
        help="collaborative mode: accept several clients and keep running when they leave",
    )
    parser.add_argument("--max-clients", type=int, default=0, help="with --multi-clients: at most N at once")
    parser.add_argument("--timeout", type=float, default=0, help="stop after this many minutes (default: 0, never)")
    parser.add_argument(
        "--max-memory-per-rank",
        type=parse_size,
        default=0,
        metavar="SIZE",
        help="refuse a request whose output would take more than SIZE on one rank, e.g. 3G (default: half of this "
        "machine's memory divided by the ranks on it)",
    )
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="stop a request that runs longer, with an error to its client (default: 300; 0: no limit)",
    )
    parser.add_argument(
        "--plugin",
        dest="plugins",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="add the proxy types of a definitions module FILE (a .py file with a tuple DEFINITIONS, see the README, "
        "Adding a filter); repeatable. Its code runs in the server on every rank: load only files you trust",
    )
    add_shared_options(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of every rank."""
    args = build_parser().parse_args(bare_verbosity_as_info(sys.argv[1:] if argv is None else argv))
    if args.port < 0 or args.port > 65535:
        print(f"pvserver: --port must be 0..65535, not {args.port}", file=sys.stderr)
        return 2
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")  # no X server on compute nodes
    _raise_file_limit()
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    setup_logging(comm.Get_rank(), args.verbosity, args.log_file, args.logs)
    try:  # on every rank: the workers build the VTK objects of the plugins' types too
        load_plugins(args.plugins)
        apply_display_options(args, comm.Get_rank(), "pvserver")
    except ValueError as exc:
        print(f"pvserver: {exc}", file=sys.stderr)
        return 2
    sandbox.confine(args.data_dir)  # every rank opens the files it reads or writes itself
    # every rank bounds what a request makes it do (the clients' scripts, gathering on rank 0) by the budgets
    per_rank = args.max_memory_per_rank or default_budget(ranks_on_this_node(comm.Get_size()))
    rank_limits.configure(args.request_timeout, per_rank)
    if comm.Get_size() == 1 and int(os.environ.get("SLURM_STEP_NUM_TASKS", "1")) > 1:
        print(
            "pvserver: started as one of several Slurm tasks, but MPI sees a single rank: the launcher and the MPI "
            "library do not talk (try srun --mpi=pmix, or mpiexec).",
            file=sys.stderr,
        )
        return 2
    if comm.Get_rank() != 0:
        from pvserver.worker import run_worker

        return run_worker(comm)
    return run_root(args, comm)


def load_plugins(paths: list[Path]) -> None:
    """Add the types of each plugin file to the catalogue, checking that this rank can make their VTK objects."""
    from pvcore.errors import PipelineError
    from pvserver.pipeline import adapters, catalogue

    log = logging.getLogger("pvserver")
    for path in paths:
        added = catalogue.load_plugin(path)
        for spec in added:
            if spec.vtk_class not in adapters.ADAPTERS:
                try:
                    adapters.vtk_class(spec.vtk_class)
                except PipelineError as exc:
                    raise ValueError(f"plugin {path}: {spec.name}: {exc}") from None
        log.info("plugin %s: %s", path, ", ".join(f"{s.group}/{s.name}" for s in added))


def run_root(args: argparse.Namespace, comm: object) -> int:
    """Rank 0: start the engine and the gRPC front end, serve until told to stop."""
    from pvserver.engine import Engine
    from pvserver.frontend import Frontend, start_grpc_server
    from pvserver.service import ServerOptions, Service

    log = logging.getLogger("pvserver")
    stop = threading.Event()
    engine = Engine(comm).start()
    try:
        token, tls = _secrets(args)
    except (OSError, ValueError) as exc:
        print(f"pvserver: {exc}", file=sys.stderr)
        engine.stop()
        return 2
    options = ServerOptions(
        args.multi_clients,
        args.connect_id,
        args.max_clients,
        token,
        args.data_dir,
        max_memory_per_rank=args.max_memory_per_rank,
        request_timeout=args.request_timeout,
        python_scripts=_python_allowed(args, token),
    )
    service = Service(engine, options)

    def client_left() -> None:
        if not args.multi_clients and service.client_count == 0:
            log.info("the client disconnected; single-client server exits")
            stop.set()

    if args.disable_further_connections:
        service.connect = _first_client_only(service)
    frontend = Frontend(service, engine, on_client_left=client_left)
    grpc_socket = reverse.private_socket_path() if args.reverse_connection else None
    try:
        if grpc_socket is not None:  # reachable through the relay only (pvserver.reverse)
            server, _ = start_grpc_server(frontend, f"unix:{grpc_socket}", 0, tls)
            port = args.port  # the client's: a local client finds the token by it
        else:
            server, port = start_grpc_server(frontend, args.host, args.port, tls)
    except OSError as exc:
        print(f"pvserver: {exc}", file=sys.stderr)
        engine.stop()
        return 1
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    # A wildcard address is where the server listens, not where a client can reach it: name this machine.
    shown = args.hostname or (socket.gethostname() if args.host in ("0.0.0.0", "::", "[::]") else args.host)
    address = f"{shown}:{port}"
    try:
        beside = args.port_file if args.token_file is None else None  # a --token-file is where the token lives
        token_files = tokens.publish(port, token, beside) if token else []
    except OSError as exc:
        print(f"pvserver: cannot write the token file: {exc}", file=sys.stderr)
        server.stop(grace=0)
        engine.stop()
        return 2
    if token and args.token_file is None and args.host not in tokens.LOCAL_HOSTS and sys.stdout.isatty():
        # Shown once to whoever started the server, on their terminal only: a batch job's output file may be
        # readable by others, and is never where a token goes (the token files are).
        print(f"Token (clients pass it with Connect(..., token=...) or pvpython --token-file): {token}", flush=True)
    if token_files:
        print(f"Token file (local clients read it by themselves): {token_files[0]}", flush=True)
    relay = None
    if grpc_socket is not None:
        try:
            relay = reverse.connect_to_client(args.client_host, args.port, grpc_socket, reverse.DIAL_SECONDS, stop)
        except OSError as exc:
            print(f"pvserver: {exc}", file=sys.stderr, flush=True)
            server.stop(grace=0)
            engine.stop()
            for path in token_files:
                path.unlink(missing_ok=True)
            return 1
        finally:
            reverse.remove_socket_folder(grpc_socket)  # connected: nothing else may reach the server's socket
    else:  # ParaView's three lines
        print(f"Waiting for client...\nConnection URL: cs://{address}\nAccepting connection(s): {address}", flush=True)
    if args.port_file and relay is None:
        tmp = args.port_file.with_name(args.port_file.name + ".tmp")
        tmp.write_text(address + "\n")
        tmp.replace(args.port_file)  # atomic: a reader never sees half a line
    deadline = args.timeout * 60 if args.timeout > 0 else None
    warn_at = deadline - min(60.0, deadline / 10) if deadline else None
    started = time.monotonic()
    reason = "the server was asked to stop"
    while not stop.wait(0.2):
        if relay is not None and relay.done.is_set():  # the client's connection closed, whatever it sent
            break
        waited = time.monotonic() - started
        if warn_at is not None and waited >= warn_at:
            warn_at = None
            left = deadline - waited
            text = f"The server stops in {left:.0f} s (--timeout)."
            engine.submit(service.run_light, service.notify_all, "ServerTimeout", text, light=True)
        if deadline is not None and waited >= deadline:
            log.warning("--timeout of %g minutes reached; stopping", args.timeout)
            reason = "its --timeout was reached"
            break
    engine.cancel()  # an update running now stops on every rank, instead of holding the shutdown up
    _tell_everyone(engine, service, "ServerShutdown", f"The server is shutting down: {reason}.")
    server.stop(grace=1.0)
    stopped = engine.stop(timeout=STOP_SECONDS)
    for path in token_files:
        path.unlink(missing_ok=True)
    if args.port_file:
        args.port_file.unlink(missing_ok=True)
    if not stopped:  # a rank that does not answer, or code that never returns: end the whole job
        log.error("the ranks did not stop within %g s; aborting the MPI job", STOP_SECONDS)
        comm.Abort(1)
    return 0


def _first_client_only(service: Any) -> Any:
    """``--disable-further-connections``: the service's admission, refusing every client after the first."""
    admit = service.connect

    def connect_first_only(hello: Any, outbox: Any) -> Any:
        if service.clients_served:
            raise ServerBusyError(
                "This pvserver was started with --disable-further-connections: it accepted its first client and "
                "accepts no other."
            )
        return admit(hello, outbox)

    return connect_first_only


def _tell_everyone(engine: Any, service: Any, kind: str, text: str) -> None:
    """Tell every client why its stream ends: after the job running now (a cancelled update's own notice comes
    first), or, if that job does not end (ranks that do not answer), as a light job right away."""
    told = engine.submit(service.notify_all, kind, text)
    try:
        told.result(timeout=5)
    except Exception:
        if told.cancel():
            with contextlib.suppress(Exception):
                engine.submit(service.run_light, service.notify_all, kind, text, light=True).result(timeout=5)


def _python_allowed(args: argparse.Namespace, token: str) -> bool:
    """Whether clients' Python may run: on a server with a token (its master only) unless --no-python; on one
    without a token only with --allow-python, as anyone on the machine could then run programs as its user."""
    log = logging.getLogger("pvserver")
    if args.no_python or (not token and not args.allow_python):
        log.info("clients' Python scripts are refused (%s)", "--no-python" if args.no_python else "--no-token")
        return False
    if not token:
        log.warning("--no-token --allow-python: any local user can run any program as this server's user")
    return True


def _raise_file_limit() -> None:
    """Allow as many open files as the system lets this user: a rank holds every piece of a partitioned file it
    reads open at once (opened beneath --data-dir, then read through /proc/self/fd)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 16)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))


def _secrets(args: argparse.Namespace) -> tuple[str, tuple[bytes, bytes] | None]:
    """The token clients must prove they know ('' with --no-token) and the TLS certificate and key."""
    log = logging.getLogger("pvserver")
    if args.no_token:
        if args.token_file is not None:
            raise ValueError("--no-token and --token-file contradict each other")
        if args.host not in tokens.LOCAL_HOSTS:
            raise ValueError("--no-token is allowed on localhost only: anyone who reaches the port could join")
        if args.reverse_connection and args.client_host not in tokens.LOCAL_HOSTS:
            raise ValueError(
                "--no-token with --reverse-connection needs a --client-host on this machine: whatever listens at the "
                "client's port would get the server"
            )
        log.warning("--no-token: any local user can join this server and read what it can read")
        token = ""
    elif args.token_file is not None and args.token_file.exists():
        token = tokens.read(args.token_file)
    else:
        token = tokens.generate()
        if args.token_file is not None:
            tokens.write(args.token_file, token)
    tls = None
    if args.tls_cert or args.tls_key:
        if not (args.tls_cert and args.tls_key):
            raise ValueError("--tls-cert and --tls-key go together")
        tls = (args.tls_cert.read_bytes(), args.tls_key.read_bytes())
    return token, tls


if __name__ == "__main__":
    sys.exit(main())
