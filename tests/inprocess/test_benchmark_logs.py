"""``paraview.benchmark`` on the built-in session: the server's log of its pipeline executions, gathered, printed,
saved, loaded and parsed as ParaView's module does (Remoting/Application/Testing/Python/PythonTestBenchmark.py).
"""

from __future__ import annotations

import json
import pickle

import pytest

import paraview.benchmark as pvb
from pvcore import messages
from pvcore.errors import PVError
from simple.connections import active_connection
from simple.servermanager_session import ServerFlags

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def benchmark(simple):
    """The module with its thresholds and logs as a fresh process has them."""
    pvb.logbase.default_log_threshold.clear()
    pvb.logbase.logs = []
    yield pvb
    pvb.logbase.default_log_threshold.clear()
    pvb.logbase.logs = []


def _executions(log: pvb.logbase.OneLog, name: str) -> list[str]:
    return [line for line in log.lines if line.startswith(f"Execute {name} id: ")]


def test_each_execution_is_logged_once_for_client_and_servers(simple, benchmark) -> None:
    benchmark.logbase.maximize_logs()
    wavelet = simple.Wavelet()
    wavelet.UpdatePipeline()
    wavelet.UpdatePipeline()  # up to date: nothing runs, nothing is logged
    benchmark.logbase.get_logs()
    logs = benchmark.logbase.logs
    assert [(log.component, log.rank, log.runmode, log.servertype) for log in logs] == [
        ("Client", 0, "interactive", "unified"),
        ("Servers", 0, "interactive", "unified"),
    ]
    for log in logs:
        (line,) = _executions(log, "Wavelet1")
        assert line.startswith(f"Execute Wavelet1 id: {wavelet.GlobalID},  ") and line.endswith(" seconds")
    wavelet.Maximum = 300.0
    wavelet.UpdatePipeline()  # changed: runs again
    benchmark.logbase.get_logs()
    assert len(_executions(benchmark.logbase.logs[1], "Wavelet1")) == 2


def test_print_logs_prints_paraviews_headers_and_lines(simple, benchmark, capsys) -> None:
    simple.Sphere().UpdatePipeline()
    benchmark.logbase.print_logs()  # fetches the logs first
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "#RunMode: interactiveServerType: unifiedComponent: Clientprocessor#: 0"
    assert out[1].startswith("Execute Sphere1 id: ")
    assert "#RunMode: interactiveServerType: unifiedComponent: Serversprocessor#: 0" in out


def test_the_threshold_leaves_out_short_executions(simple, benchmark) -> None:
    simple.Sphere().UpdatePipeline()
    benchmark.logbase.default_log_threshold[str(ServerFlags.SERVERS)] = 3600.0
    benchmark.logbase.get_logs()
    assert _executions(benchmark.logbase.logs[0], "Sphere1")  # the client's threshold is still 0
    assert not _executions(benchmark.logbase.logs[1], "Sphere1")


def test_the_server_refuses_a_threshold_that_is_no_duration(simple, benchmark) -> None:
    connection = active_connection()
    for threshold in (-1.0, float("nan")):
        with pytest.raises(PVError, match="threshold"):
            connection.request(messages.TimerLogRequest(threshold))


def test_dumped_logs_load_back_and_other_files_are_refused(simple, benchmark, tmp_path) -> None:
    simple.Cone().UpdatePipeline()
    benchmark.logbase.get_logs()
    before = [(log.component, log.rank, log.lines) for log in benchmark.logbase.logs]
    benchmark.logbase.dump_logs(tmp_path / "benchmark.log")
    benchmark.logbase.logs = []
    benchmark.logbase.import_logs(tmp_path / "benchmark.log")
    assert [(log.component, log.rank, log.lines) for log in benchmark.logbase.logs] == before
    (tmp_path / "pickled.log").write_bytes(pickle.dumps(["not", "loaded"]))
    with pytest.raises(PVError, match="pickled"):
        benchmark.logbase.import_logs(tmp_path / "pickled.log")
    (tmp_path / "other.json").write_text(json.dumps({"format": "paraview.benchmark logs", "logs": [{"rank": 0}]}))
    with pytest.raises(PVError, match="runmode"):
        benchmark.logbase.import_logs(tmp_path / "other.json")


def test_process_logs_parses_every_component_and_rank(simple, benchmark) -> None:
    wavelet = simple.Wavelet()
    wavelet.UpdatePipeline()
    parsed = benchmark.logparser.process_logs()
    assert sorted(parsed) == ["Client", "Servers"]
    for ranks in parsed.values():
        (frames,) = ranks
        entries = [entry for frame in frames for entry in frame.Logs]
        wavelets = [entry for entry in entries if entry.Name == "Wavelet1"]
        assert [entry.Id for entry in wavelets] == [str(wavelet.GlobalID)]
        assert wavelets[0].Duration > 0
        assert repr(wavelets[0]) == f"{wavelet.GlobalID} Wavelet1 {wavelets[0].Duration:f}"


def test_frames_and_statistics_as_paraviews_parser() -> None:
    log = pvb.logbase.OneLog("batch", "unified", 0, 0)
    frame = ["Still Render,  0.5 seconds", "  Execute Contour1 id: 7,  0.25 seconds", "Compositing,  0.1 seconds"]
    log.lines = [*frame, *frame, "Still Render,  1.5 seconds", "  Execute Contour1 id: 7,  0.75 seconds", ""]
    frames = pvb.logparser._parse_a_log(log)
    assert len(frames) == 3  # a repeated top-level entry starts a frame, the blank line ends the last
    assert str(frames[0]) == "still Still 0.500000\n  7 Contour1 0.250000\ncomp composite 0.100000"
    stats = pvb.logparser.collect_stats(frames[1:], "Mean")
    assert [s["Duration"] for s in stats if isinstance(s, dict)] == [1.0, 0.1]
    assert stats[1][0]["Duration"] == 0.5  # the nested execution, averaged over the two frames
    summary = pvb.logparser.BasicStats([1.0, 2.0, 4.0])
    assert (summary.N, summary.Min, summary.Max) == (3, 1.0, 4.0)
    assert summary.Mean == pytest.approx(7 / 3)
    assert summary.StdDev == pytest.approx(1.5275252316519468)
    per_frame, overall = pvb.logparser.summarize_stats([frames, frames])
    assert len(per_frame) == 2 and overall is not None
