"""``pvpython``: a Python interpreter with ``simple`` loaded, interactive or running a script.

``pvpython`` opens a REPL on the built-in session; ``pvpython --url cs://host:11111`` connects to a server
first; ``pvpython script.py args...`` runs a script (``sys.argv`` is the script and its arguments).
"""

from __future__ import annotations

import argparse
import code
import runpy
import sys
from pathlib import Path

from pvcore import tokens
from pvcore.errors import PVError


def build_parser() -> argparse.ArgumentParser:
    """The command line, with ParaView's option names."""
    parser = argparse.ArgumentParser(
        prog="pvpython",
        description="Python with the paraview.simple vocabulary (from simple import *) loaded.",
    )
    parser.add_argument("--url", help="connect to this server first, e.g. cs://localhost:11111")
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
    parser.add_argument("--multi-servers", action="store_true", help="allow connections to several servers")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for the server (default 60)")
    parser.add_argument("script", nargs="?", help="script to run; without it, an interactive prompt")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = build_parser().parse_args(argv)
    import simple

    simple.EnableMultiServer(args.multi_servers)
    simple.state.on_connect = _show_progress
    if args.url:
        tls = str(args.tls_ca) if args.tls_ca else None
        try:
            token = "" if args.no_token else tokens.read(args.token_file) if args.token_file else None
            simple.Connect(
                args.url, timeout=args.timeout, connect_id=args.connect_id, user=args.user, token=token, tls=tls
            )
        except (PVError, OSError) as exc:  # the reason, without a traceback
            print(f"pvpython: {exc}", file=sys.stderr)
            return 1
    else:
        simple.Connect()  # pvpython starts with the built-in session active, as ParaView's does
    try:
        if args.script:
            sys.argv = [args.script, *args.args]
            runpy.run_path(args.script, run_name="__main__")
        else:
            namespace: dict = {"__name__": "__main__"}
            exec("from simple import *", namespace)
            code.interact(banner=f"pvpython (simple loaded; {simple.GetActiveConnection()!r})", local=namespace)
    finally:
        for conn in simple.GetConnections():
            conn.close()
    return 0


def _show_progress(connection: object) -> None:
    """Progress of server updates: a bar on a terminal, plain lines in scripts and logs."""
    terminal = sys.stderr.isatty()

    def show(progress: object) -> None:
        percent = int(progress.fraction * 100)
        if terminal:
            bar = "#" * (percent // 5)
            end = "\n" if percent >= 100 else ""
            print(f"\r{progress.proxy_name:>20} [{bar:<20}] {percent:3d}%", end=end, file=sys.stderr, flush=True)
        else:
            print(f"progress: {progress.proxy_name} {percent}%", file=sys.stderr, flush=True)

    connection.progress_listeners.append(show)


if __name__ == "__main__":
    sys.exit(main())
