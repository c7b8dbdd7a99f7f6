"""Regenerate the protobuf and gRPC code in ``pvwire/`` from ``protos/*.proto``.

Usage: ``python scripts/gen_protos.py [--out DIR]``. The generated modules are committed; the test
``tests/unit/test_wire_fresh.py`` regenerates them into a temporary folder and fails when they differ.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTO_DIR = ROOT / "protos"


def generate(out_dir: Path) -> list[Path]:
    """Run protoc on every ``.proto`` file and return the files it wrote into ``out_dir``."""
    from grpc_tools import protoc  # test-only dependency: imported here, not at module load

    out_dir.mkdir(parents=True, exist_ok=True)
    protos = sorted(PROTO_DIR.glob("*.proto"))
    include = Path(protoc.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTO_DIR}",
        f"-I{include}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *map(str, protos),
    ]
    if protoc.main(args) != 0:
        raise RuntimeError("protoc failed on " + ", ".join(p.name for p in protos))
    written = []
    for proto in protos:
        stem = proto.stem
        for suffix in ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py"):
            path = out_dir / f"{stem}{suffix}"
            # protoc writes absolute imports between generated modules; the package needs relative ones.
            text = re.sub(rf"^import {stem}_pb2 as", f"from . import {stem}_pb2 as", path.read_text(), flags=re.M)
            path.write_text(text)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "pvwire", help="output folder (default: pvwire/)")
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(f"wrote {path.relative_to(args.out.parent) if args.out.is_absolute() else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
