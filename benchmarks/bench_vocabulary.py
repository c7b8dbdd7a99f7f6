#!/usr/bin/env python
"""What ParaView's vocabulary costs: the size of the catalogue a server describes itself with, and the time a
client takes to join with it.

Printed: the proxy types by group and the ``simple`` names; the bytes of the definitions in a welcome (protobuf,
as sent); the median time to decode them and build the client's catalogue (``Catalogue.from_plain``, what a first
connection to a server does); and the median time to connect to a real 2-rank ``pvserver``, first (the welcome
carries the definitions) and again in the same process (the client names their digest and the server leaves them
out). Medians of ``--repeat`` runs, measured in one run, on a shared machine: compare the ratios.

Usage::

    python benchmarks/bench_vocabulary.py [--repeat 7] [--json figures.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from servers import ServerProcess  # noqa: E402 - the tests' real-server helper

import simple  # noqa: E402
from pvclient import catalogues  # noqa: E402
from pvcore import definitions  # noqa: E402
from pvcore.schema import Catalogue  # noqa: E402
from pvwire import pvcollab_pb2 as pb  # noqa: E402
from pvwire.definitions import decode_definitions, encode_definitions  # noqa: E402


def median_ms(runs: list[float]) -> float:
    return statistics.median(runs) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    options = parser.parse_args()

    catalogue = definitions.bundled()
    print("Proxy types of the bundled catalogue, by group")
    for group in catalogue.groups():
        print(f"  {group:28s} {len(list(catalogue.specs(group))):4d}")
    print(f"  {'all':28s} {len(list(catalogue.specs())):4d}")
    print(f"  simple's public names        {len(simple.__all__):4d}")

    plain = catalogue.to_plain()
    welcome = pb.Welcome()
    encode_definitions(plain, welcome.definitions)
    wire = welcome.SerializeToString()
    decode, build = [], []
    for _ in range(options.repeat):
        start = time.perf_counter()
        received = pb.Welcome.FromString(wire)
        decoded = decode_definitions(received.definitions)
        middle = time.perf_counter()
        Catalogue.from_plain(decoded)
        decode.append(middle - start)
        build.append(time.perf_counter() - middle)
    print("\nThe welcome's definitions")
    print(f"  bytes on the wire            {len(wire):8d}")
    print(f"  decode, median ms            {median_ms(decode):8.1f}")
    print(f"  build the catalogue, ms      {median_ms(build):8.1f}")

    first, again = [], []
    with ServerProcess(2, "--multi-clients") as server:
        for _ in range(options.repeat):
            catalogues.forget()
            for runs in (first, again):
                start = time.perf_counter()
                simple.Connect(server.url)
                runs.append(time.perf_counter() - start)
                simple.Disconnect()
    print("\nConnecting to a 2-rank pvserver (median ms)")
    print(f"  first connection             {median_ms(first):8.1f}")
    print(f"  again (definitions cached)   {median_ms(again):8.1f}")
    if options.json:
        figures = {
            "types": {group: len(list(catalogue.specs(group))) for group in catalogue.groups()},
            "simple_names": len(simple.__all__),
            "welcome_definitions_bytes": len(wire),
            "decode_ms": median_ms(decode),
            "build_ms": median_ms(build),
            "connect_first_ms": median_ms(first),
            "connect_cached_ms": median_ms(again),
        }
        options.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
