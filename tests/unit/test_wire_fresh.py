"""The committed protobuf/gRPC code in pvwire/ is what scripts/gen_protos.py makes from protos/ today."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(60)


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_protos", ROOT / "scripts" / "gen_protos.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_code_is_fresh(tmp_path: Path) -> None:
    pytest.importorskip("grpc_tools")
    written = load_generator().generate(tmp_path / "pvwire")
    protos = sorted((ROOT / "protos").glob("*.proto"))
    assert protos, "no .proto files"
    expected = {f"{p.stem}{suffix}" for p in protos for suffix in ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")}
    assert {p.name for p in written} == expected
    stale = []
    for path in written:
        committed = ROOT / "pvwire" / path.name
        if not committed.exists() or committed.read_bytes() != path.read_bytes():
            stale.append(path.name)
    assert not stale, f"pvwire/{', '.join(stale)} differ from protos/; run: python scripts/gen_protos.py"


def test_generated_imports_are_package_relative(tmp_path: Path) -> None:
    pytest.importorskip("grpc_tools")
    for path in load_generator().generate(tmp_path):
        if path.name.endswith("_grpc.py"):
            text = path.read_text()
            assert "from . import" in text
            assert "\nimport pvcollab_pb2" not in text
