"""The engine's request timeout, on a single-process engine: a slow update is stopped at its deadline, a job past
its deadline starts no new collective step, and the next job runs normally."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from pvcore.errors import RequestTimeoutError
from pvcore.messages import ProxyState, StateDelta
from pvserver import commands
from pvserver.engine import Engine
from pvserver.parallel import SerialComm
from pvserver.pipeline import catalogue


@pytest.fixture
def engine() -> Iterator[Engine]:
    started = Engine(SerialComm()).start()
    started.request_timeout = 0.5
    yield started
    started.stop()


def wavelet(extent: int) -> StateDelta:
    values = {**catalogue.get("sources", "Wavelet").defaults(), "WholeExtent": (-extent, extent) * 3}
    return StateDelta([ProxyState(1, "sources", "Wavelet", "Wavelet1", values)])


def test_a_slow_update_is_stopped_at_the_deadline_and_the_next_request_runs(engine: Engine) -> None:
    engine.call(engine.run, commands.ApplyDelta(wavelet(150)))  # 27 million points: seconds on one core
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError, match=r"--request-timeout of 0\.5 s"):
        engine.call(engine.run, commands.UpdatePipeline(1))
    assert time.monotonic() - started < 3
    engine.call(engine.run, commands.ApplyDelta(wavelet(10)))
    engine.call(engine.run, commands.UpdatePipeline(1))  # a fresh job, a fresh deadline: it runs in full


def test_a_job_past_its_deadline_starts_no_collective_step(engine: Engine) -> None:
    def slow_then_collective() -> None:
        time.sleep(0.7)  # Python work of the request itself (nothing that reports progress)
        engine.run(commands.ApplyDelta(wavelet(10)))

    with pytest.raises(RequestTimeoutError):
        engine.call(slow_then_collective)
    assert engine.executor is not None and 1 not in engine.executor.objects  # the step never ran


def test_no_timeout_means_no_limit(engine: Engine) -> None:
    engine.request_timeout = 0
    engine.call(lambda: time.sleep(0.7) or engine.run(commands.ApplyDelta(wavelet(10))))
    assert 1 in engine.executor.objects
