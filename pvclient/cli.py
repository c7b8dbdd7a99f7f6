"""``pvpython``: a Python interpreter with ``simple`` loaded, interactive or running a script.

``pvpython`` opens a REPL on the built-in session; ``pvpython --url cs://host:11111`` connects to a server
first; ``pvpython script.py args...`` runs a script (``sys.argv`` is the script and its arguments).
"""

from __future__ import annotations

import argparse
import runpy
import sys
from pathlib import Path
from typing import Any

from pvclient import repl
from pvclient.progress import ProgressDisplay
from pvcore import VERSION_TEXT, tokens
from pvcore.errors import PVError

_GLOBAL_CONTROLLER = None


def build_parser() -> argparse.ArgumentParser:
    """The command line, with ParaView's option names."""
    parser = argparse.ArgumentParser(
        prog="pvpython",
        description="Python with the paraview.simple vocabulary (from simple import *) loaded.",
        allow_abbrev=False,  # a misspelt option is an error, not silently another option
    )
    parser.add_argument(
        "--url",
        "--server-url",
        dest="url",
        help="connect to this server first: cs://host:11111, or csrc://host:PORT to listen on host:PORT until a "
        "server started with pvserver -rc --client-host <this machine> -sp PORT connects back (--timeout 0: wait for "
        "ever, e.g. while its batch job is queued)",
    )
    parser.add_argument("--connect-id", type=int, default=0, help="the server's --connect-id")
    parser.add_argument("--user", default="", help="your user name in a collaboration")
    parser.add_argument(
        "--token-file",
        type=Path,
        help="file holding the server's secret token (default: the token file a local server of yours wrote)",
    )
    parser.add_argument(
        "--no-token", action="store_true", help="connect to a server started with --no-token (localhost only)"
    )
    parser.add_argument("--tls-ca", type=Path, help="CA (or self-signed certificate) PEM file: connect over TLS")
    parser.add_argument(
        "--tls-server-name",
        metavar="NAME",
        help="csrc:// only: the name the server's certificate must carry (default: the URL's host when it is a name, "
        "else localhost)",
    )
    parser.add_argument("--multi-servers", action="store_true", help="allow connections to several servers")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for the server (default 60)")
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show the progress of server updates even when stderr is not a terminal (one line per tenth)",
    )
    parser.add_argument("--traceback", action="store_true", help="errors show every frame (also PVPYTHON_TRACEBACK=1)")
    parser.add_argument("-V", "--version", action="version", version=VERSION_TEXT)
    parser.add_argument(
        "-c", dest="code", nargs=argparse.REMAINDER, metavar="CODE", help="run CODE (sys.argv: '-c' and what follows)"
    )
    parser.add_argument(
        "-m", dest="module", nargs=argparse.REMAINDER, metavar="MODULE", help="run MODULE as __main__, as python -m"
    )
    parser.add_argument(
        "-i", dest="interactive", action="store_true", help="an interactive prompt after the script, -c or -m"
    )
    parser.add_argument(
        "--force-offscreen-rendering",
        action="store_true",
        help="accepted for ParaView compatibility; rendering is always offscreen",
    )
    parser.add_argument("script", nargs="?", help="script to run; without it, an interactive prompt")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script")
    return parser


def run_program(args: argparse.Namespace) -> dict | None:
    """Run what the command line names, as python does: ``-c CODE``, ``-m MODULE`` or a script, each with the
    arguments after it in ``sys.argv``. Returns the globals it ran in, or None when it names nothing."""
    if args.code is not None:
        if not args.code:
            raise SystemExit("pvpython: -c needs the code to run: pvpython -c 'print(1)'")
        code, *rest = args.code
        sys.argv = ["-c", *rest]
        namespace: dict = {"__name__": "__main__"}
        exec(compile(code, "<string>", "exec"), namespace)
        return namespace
    if args.module is not None:
        if not args.module:
            raise SystemExit("pvpython: -m needs a module name: pvpython -m package.module")
        module, *rest = args.module
        sys.argv = [module, *rest]
        return runpy.run_module(module, run_name="__main__", alter_sys=True)
    if args.script:
        sys.argv = [args.script, *args.args]
        return runpy.run_path(args.script, run_name="__main__")
    return None


def install_global_controller(controller: Any = None) -> None:
    """Give VTK the global controller ParaView's pvpython and pvbatch have: scripts ask
    ``vtkMultiProcessController.GetGlobalController()`` for their rank and process count.

    By default a vtkDummyController, rank 0 of 1 process: pvpython's script runs in this process alone, and so
    does pvbatch's (on rank 0; the other ranks run the engine's worker loop). ``pvbatch --symmetric`` passes
    ``controller``, a pvclient.symmetric.SymmetricController, which tells each rank's script its MPI rank and
    the job's size (see there for what it offers). A controller installed before is kept."""
    from vtkmodules.vtkParallelCore import vtkDummyController, vtkMultiProcessController

    global _GLOBAL_CONTROLLER
    if vtkMultiProcessController.GetGlobalController() is None:
        # held here: VTK keeps only a pointer, and the Python object (and with it a Python subclass's methods)
        # lives as long as a reference to it does
        _GLOBAL_CONTROLLER = controller if controller is not None else vtkDummyController()
        vtkMultiProcessController.SetGlobalController(_GLOBAL_CONTROLLER)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = build_parser().parse_args(argv)
    install_global_controller()
    import simple

    simple.EnableMultiServer(args.multi_servers)
    progress = ProgressDisplay("lines" if args.progress and not sys.stderr.isatty() else "auto")
    simple.state.on_connect = progress.attach
    full = args.traceback or repl.full_tracebacks()
    simple.state.on_listening = lambda address: print(
        f"Waiting for the server's reverse connection on {address}...", file=sys.stderr, flush=True
    )
    if args.url:
        tls = str(args.tls_ca) if args.tls_ca else None
        try:
            token = "" if args.no_token else tokens.read(args.token_file) if args.token_file else None
            options = {"connect_id": args.connect_id, "user": args.user, "token": token, "tls": tls}
            if args.tls_server_name:  # only Connect("csrc://...") takes it
                options["tls_server_name"] = args.tls_server_name
            simple.Connect(args.url, timeout=args.timeout, **options)
        except (PVError, OSError) as exc:  # the reason, without a traceback
            print(f"pvpython: {exc}", file=sys.stderr)
            return 1
    else:
        simple.Connect()  # pvpython starts with the built-in session active, as ParaView's does
    try:
        ran = run_program(args)
        if ran is None or args.interactive:
            namespace: dict = {"__name__": "__main__"}
            exec("from simple import *", namespace)
            namespace.update(ran or {})  # after -i, the script's own names win
            repl.interact(namespace, f"pvpython (simple loaded; {simple.GetActiveConnection()!r})", progress, full)
    except Exception as exc:  # a script's error: the user's lines and the message
        print(repl.format_error(exc, full), end="", file=sys.stderr)
        return 1
    finally:
        for conn in simple.GetConnections():
            conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
