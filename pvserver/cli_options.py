"""The options pvserver and pvbatch share with ParaView's: logging (``-v/--verbosity``, ``-l/--log``), displays,
``--enable-bt``, ``-V/--version``, spelled and numbered as ParaView 5.11 does.

ParaView's verbosity is an integer from -9 to 9 or a name: OFF (-9), ERROR (-2), WARNING (-1), INFO (0), and
1..9 (TRACE, MAX: 9) for ever more detail; here 1..9 all mean Python's DEBUG. Without ``-v`` the level is WARNING
(ParaView's default is INFO, which here would log every client that joins or leaves). ``-v`` alone means INFO,
and the older spelling ``-vv`` means 1 (debug), as this project's earlier ``-v``/``-vv`` counts did.
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import sys
from pathlib import Path

from pvcore import VERSION_TEXT

#: ParaView's verbosity names and their numbers (vtkLogger).
VERBOSITY_NAMES = {"OFF": -9, "ERROR": -2, "WARNING": -1, "INFO": 0, "TRACE": 9, "MAX": 9}
#: The level without -v (see the module's docstring).
DEFAULT_VERBOSITY = VERBOSITY_NAMES["WARNING"]


def parse_verbosity(text: str) -> int:
    """A ParaView verbosity: an integer in [-9, 9] or OFF, ERROR, WARNING, INFO, TRACE, MAX (any case)."""
    text = text.strip().removeprefix("=")  # '-v=INFO' reaches argparse as '=INFO'
    if text == "v":  # the older '-vv'
        return 1
    if text.upper() in VERBOSITY_NAMES:
        return VERBOSITY_NAMES[text.upper()]
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None or not -9 <= number <= 9:
        names = ", ".join(VERBOSITY_NAMES)
        raise argparse.ArgumentTypeError(f"{text!r} is no verbosity: give an integer in [-9, 9] or one of {names}")
    return number


def parse_log_target(text: str) -> tuple[Path, int]:
    """``--log FILE[,VERBOSITY]`` -> (file, verbosity); the verbosity defaults to INFO, as ParaView's."""
    name, _, level = text.partition(",")
    if not name:
        raise argparse.ArgumentTypeError("--log needs a file name: --log=FILE or --log=FILE,VERBOSITY")
    return Path(name), parse_verbosity(level) if level else VERBOSITY_NAMES["INFO"]


def logging_level(verbosity: int) -> int:
    """The Python logging level of a ParaView verbosity."""
    if verbosity <= VERBOSITY_NAMES["OFF"]:
        return logging.CRITICAL + 1
    if verbosity <= VERBOSITY_NAMES["ERROR"]:
        return logging.ERROR
    if verbosity == VERBOSITY_NAMES["WARNING"]:
        return logging.WARNING
    return logging.INFO if verbosity == 0 else logging.DEBUG


def bare_verbosity_as_info(argv: list[str]) -> list[str]:
    """``-v`` followed by a script (``pvbatch -v run.py``) would take the script as its level: make it ``-v0``."""
    fixed = list(argv)
    for index, item in enumerate(fixed[:-1]):
        if item in ("-v", "--verbosity"):
            try:
                parse_verbosity(fixed[index + 1])
            except argparse.ArgumentTypeError:
                if not fixed[index + 1].startswith("-"):
                    fixed[index] = "-v0"
    return fixed


def add_shared_options(parser: argparse.ArgumentParser) -> None:
    """The options pvserver and pvbatch share with ParaView (see the module's docstring)."""
    parser.add_argument("-V", "--version", action="version", version=VERSION_TEXT)
    parser.add_argument(
        "-v",
        "--verbosity",
        type=parse_verbosity,
        nargs="?",
        const=VERBOSITY_NAMES["INFO"],
        default=DEFAULT_VERBOSITY,
        metavar="LEVEL",
        help="log verbosity on stderr: an integer in [-9, 9] or OFF, ERROR, WARNING, INFO (default: WARNING; -v "
        "alone: INFO; 1..9: debug)",
    )
    parser.add_argument(
        "-l",
        "--log",
        dest="logs",
        action="append",
        type=parse_log_target,
        default=[],
        metavar="FILE[,LEVEL]",
        help="also log to FILE (FILE.<rank> on the other ranks), at LEVEL (default INFO); repeatable",
    )
    parser.add_argument("--log-file", type=Path, help="log to this file instead of stderr (FILE.<rank> on other ranks)")
    parser.add_argument(
        "--enable-bt", action="store_true", help="print the Python stack of every thread if a rank crashes"
    )
    parser.add_argument(
        "--displays",
        metavar="IDS",
        help="EGL device indices for the rendering ranks, comma-separated, assigned round-robin",
    )
    parser.add_argument(
        "--force-offscreen-rendering",
        action="store_true",
        help="accepted for ParaView compatibility; rendering is always offscreen",
    )


def _rank_file(path: Path, rank: int) -> str:
    return f"{path}.{rank}" if rank else str(path)


def setup_logging(rank: int, verbosity: int, log_file: Path | None, logs: list[tuple[Path, int]] = ()) -> None:
    """Per-rank logging, each line saying which rank wrote it: on stderr (or ``log_file``) at ``verbosity``, and
    to each of ``logs`` (file, verbosity) too."""
    formatter = logging.Formatter(f"%(asctime)s [rank {rank}] %(levelname)s %(name)s: %(message)s")
    main: logging.Handler
    main = logging.FileHandler(_rank_file(log_file, rank)) if log_file else logging.StreamHandler(sys.stderr)
    main.setLevel(logging_level(verbosity))
    handlers = [main]
    for path, level in logs:
        extra = logging.FileHandler(_rank_file(path, rank))
        extra.setLevel(logging_level(level))
        handlers.append(extra)
    for handler in handlers:
        handler.setFormatter(formatter)
    logging.basicConfig(level=min(h.level for h in handlers), handlers=handlers, force=True)


def apply_display_options(args: argparse.Namespace, rank: int, program: str) -> None:
    """``--displays`` and ``--enable-bt``, with a note on stderr (rank 0) saying what they do here."""
    if args.enable_bt:
        faulthandler.enable(all_threads=True)
        if rank == 0:
            print(f"{program}: --enable-bt: a crashing rank prints the Python stack of each thread", file=sys.stderr)
    if args.displays:
        devices = [item.strip() for item in args.displays.split(",") if item.strip()]
        if not devices or not all(item.isdigit() for item in devices):
            raise ValueError(f"--displays takes EGL device indices, e.g. 0,1, not {args.displays!r}")
        os.environ["VTK_DEFAULT_EGL_DEVICE_INDEX"] = devices[rank % len(devices)]
        if rank == 0:
            print(
                f"{program}: --displays: rendering is offscreen through EGL; rank r uses EGL device "
                f"{devices}[r % {len(devices)}] (X displays are not used)",
                file=sys.stderr,
            )
