"""pvpython's prompt driven in a real pseudo-terminal: completion, Ctrl-C during an update, short errors, history."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

PVPYTHON = str(Path(sys.executable).with_name("pvpython"))
PROMPT = ">>> "


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("repl") / "history"


@pytest.fixture(scope="module")
def repl(history: Path) -> Iterator[pexpect.spawn]:
    """One pvpython prompt on the built-in session, shared by the module's tests (they run in order)."""
    env = {**os.environ, "PVPYTHON_HISTORY": str(history), "TERM": "dumb", "PVPYTHON_TRACEBACK": ""}
    child = pexpect.spawn(PVPYTHON, [], env=env, encoding="utf-8", timeout=60, dimensions=(40, 200))
    child.expect_exact(PROMPT)
    yield child
    child.sendeof()
    child.expect(pexpect.EOF, timeout=30)
    child.close()


def _complete(child: pexpect.spawn, typed: str, expected: str) -> None:
    """Type ``typed``, press Tab, and see the line become ``expected``; then clear the line."""
    child.send(typed + "\t")
    child.expect_exact(expected, timeout=10)
    child.send("\x15")  # Ctrl-U: readline clears the line


def test_tab_completes_names_properties_and_keywords(repl: pexpect.spawn) -> None:
    _complete(repl, "Sph", "Sphere(")
    repl.sendline("s = Sphere()")
    repl.expect_exact(PROMPT)
    _complete(repl, "s.Thet", "s.ThetaResolution")
    _complete(repl, "Sphere(Rad", "Sphere(Radius=")
    _complete(repl, "Cone(Height=2, Resol", "Cone(Height=2, Resolution=")
    _complete(repl, "Cone(\t", "Resolution=")  # Tab twice at an argument's start lists every keyword


def test_an_error_shows_the_users_line_and_the_suggestion_only(repl: pexpect.spawn) -> None:
    repl.sendline("s.Radiuss = 2")
    repl.expect_exact("Traceback")
    repl.expect_exact("Did you mean Radius?")
    shown = repl.before
    repl.expect_exact(PROMPT)
    assert 'File "<console>", line 1' in shown
    for internal in ("pvclient", "simple/", "pvserver", "code.py"):
        assert internal not in shown, shown


def test_ctrl_c_stops_a_long_built_in_update_and_the_next_call_answers_at_once(repl: pexpect.spawn) -> None:
    repl.sendline("w = Wavelet(WholeExtent=[-160, 160] * 3)")
    repl.expect_exact(PROMPT)
    repl.sendline("c = Contour(Input=w, ContourBy=['POINTS', 'RTData'], Isosurfaces=[100, 150, 200]); UpdatePipeline()")
    time.sleep(1.5)  # well into the update (it takes tens of seconds here)
    repl.sendintr()
    repl.expect_exact("KeyboardInterrupt", timeout=10)
    assert "Wavelet1" in repl.before  # its progress bar was up (a terminal: tqdm's bar)
    repl.expect_exact(PROMPT, timeout=10)
    assert "100%" not in repl.before  # the cancelled update's bar is not drawn complete
    started = time.monotonic()
    repl.sendline("print('radius', s.Radius)")
    repl.expect_exact("radius 0.5", timeout=10)
    repl.expect_exact(PROMPT)
    assert time.monotonic() - started < 2.0
    repl.sendline("Delete(c); Delete(w)")
    repl.expect_exact(PROMPT)


def test_the_history_is_kept_in_its_file(repl: pexpect.spawn, history: Path) -> None:
    repl.sendline("marker_for_history = 41")
    repl.expect_exact(PROMPT)
    repl.sendeof()
    repl.expect(pexpect.EOF, timeout=30)
    assert "marker_for_history = 41" in history.read_text()
    assert history.stat().st_mode & 0o077 == 0  # it may hold a token: this user's only
    again = pexpect.spawn(PVPYTHON, [], env={**os.environ, "PVPYTHON_HISTORY": str(history)}, encoding="utf-8")
    try:
        again.expect_exact(PROMPT, timeout=60)
        again.send("\x1b[A")  # the up arrow brings the last line of the previous session back
        again.expect_exact("marker_for_history = 41", timeout=10)
    finally:
        again.close(force=True)
