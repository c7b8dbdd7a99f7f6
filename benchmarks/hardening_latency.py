"""Section 3 of benchmarks/bench_hardening.py: the master's edit round trip (a Sphere's Radius) alone, and while
another client renders 4096x4096 back to back; the median of one such render for reference.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any

from common import Servers, fmt_ms, summary, table
from hardening_attacks import build_scene, connect
from hardening_memory import BIG

# ----------------------------------------------------------------------------------------------- 3. latency


def timed_edits(conn: Any, sphere: Any, count: int, pause: Callable[[], float]) -> list[float]:
    """``count`` edits of the Sphere's Radius, each timed, with ``pause()`` seconds between them."""
    samples = []
    for i in range(count):
        t0 = time.perf_counter()
        conn.update(sphere, {"Radius": 0.5 + (i % 10) / 20})
        samples.append(time.perf_counter() - t0)
        time.sleep(pause())
    return samples


def bench_latency(servers: Servers, edits: int) -> dict[str, Any]:
    from pvcore import messages

    print(f"\n[latency] 2-rank server, {edits} edits alone and while another client renders {BIG}x{BIG}", flush=True)
    with servers.start(2, "--multi-clients") as server:
        master, other = connect(server, "master"), connect(server, "renderer")
        try:
            sphere, view = build_scene(master)
            other.process_events(timeout=1.0)
            alone = timed_edits(master, sphere, edits, lambda: 0.02)
            renders: list[float] = []
            stop = threading.Event()
            failures: list[str] = []

            def render_loop() -> None:
                try:
                    while not stop.is_set():
                        t0 = time.perf_counter()
                        other.request(messages.RenderRequest(view.GlobalID, BIG, BIG))
                        renders.append(time.perf_counter() - t0)
                except Exception as exc:  # reported, not raised: a benchmark reports
                    failures.append(f"{type(exc).__name__}: {exc}")

            thread = threading.Thread(target=render_loop, daemon=True)
            thread.start()
            while len(renders) < 2 and thread.is_alive():  # the first render also builds its buffers
                time.sleep(0.05)
            # Pauses spread over one render: an edit answered just after a render ended would otherwise always
            # arrive at the start of the next one and wait for nearly all of it.
            rng, period = random.Random(1), renders[-1] if renders else 1.0
            busy = timed_edits(master, sphere, edits, lambda: rng.uniform(0.0, period))
            stop.set()
            thread.join(timeout=60)
        finally:
            master.close()
            other.close()
    a, b = summary(alone), summary(busy)
    render = summary(renders[1:] or renders)  # the first render builds its buffers
    a["max_ms"], b["max_ms"], render["max_ms"] = 1e3 * max(alone), 1e3 * max(busy), 1e3 * max(renders[1:] or renders)
    result = {
        "edits": edits,
        "edit_alone": a,
        "edit_while_other_renders": b,
        "ratio_of_medians": b["median_ms"] / a["median_ms"],
        "render_4096": render,
        "renders_done": len(renders),
        "renderer_failures": failures,
    }
    table(
        f"The master's edit round trip (Sphere Radius), {edits} edits each",
        ["case", "median ms", "p90 ms", "min ms", "max ms"],
        [
            [name, *(fmt_ms(x[k]) for k in ("median_ms", "p90_ms", "min_ms", "max_ms"))]
            for name, x in (
                ("alone", a),
                (f"while another client renders {BIG}x{BIG}", b),
                (f"one {BIG}x{BIG} render (reference, the first left out)", render),
            )
        ],
    )
    print(
        f"  ratio of medians {result['ratio_of_medians']:.0f}x; the busy median is "
        f"{b['median_ms'] / render['median_ms']:.2f} and the slowest edit {b['max_ms'] / render['max_ms']:.2f} "
        f"of the slowest render; {len(renders)} renders done"
        + (f"; renderer failed: {failures[0]}" if failures else "")
    )
    return result
