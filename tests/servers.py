"""Starting real pvserver processes under mpiexec for tests and benchmarks.

A server is started on port 0 with ``--port-file``; the helper waits for that file (never a fixed sleep),
and always kills the whole process group on exit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pvcore import auth, messages, tokens
from pvwire import codec

ROOT = Path(__file__).resolve().parent.parent


def mpiexec() -> str:
    """The mpiexec next to this Python (the virtualenv's MPICH), else the one on PATH."""
    local = Path(sys.executable).parent / "mpiexec"
    return str(local) if local.exists() else "mpiexec"


class ServerProcess:
    """A real ``mpiexec -n N pvserver`` on a free loopback port."""

    def __init__(self, ranks: int = 2, *args: str, startup_timeout: float = 60.0) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="pvserver-")
        self.port_file = Path(self._dir.name) / "port"
        self.log_path = Path(self._dir.name) / "server.log"
        self.ranks = ranks
        cmd = [
            mpiexec(),
            "-n",
            str(ranks),
            sys.executable,
            "-m",
            "pvserver.cli",
            "--port",
            "0",
            "--port-file",
            str(self.port_file),
            *args,
        ]
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            cmd, stdout=self._log, stderr=subprocess.STDOUT, cwd=ROOT, env=env, start_new_session=True
        )
        deadline = time.monotonic() + startup_timeout
        while not self.port_file.exists():
            if self.process.poll() is not None:
                raise RuntimeError(f"pvserver exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                log = self.log()  # read before stop() removes it
                self.stop()
                raise TimeoutError(f"pvserver did not start within {startup_timeout} s:\n{log}")
            time.sleep(0.02)
        self.address = self.port_file.read_text().strip()
        self.host, port = self.address.rsplit(":", 1)
        self.port = int(port)

    @property
    def url(self) -> str:
        """``cs://host:port`` of this server."""
        return f"cs://{self.address}"

    def log(self) -> str:
        """Everything the server printed so far."""
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def rank_pids(self) -> dict[int, int]:
        """MPI rank -> pid of this server's rank processes (found by their command line and PMI_RANK)."""
        found, marker = {}, str(self.port_file).encode()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                cmdline = (entry / "cmdline").read_bytes()
                if marker not in cmdline or b"pvserver.cli" not in cmdline or b"mpiexec" in cmdline:
                    continue
                env = dict(
                    item.split(b"=", 1) for item in (entry / "environ").read_bytes().split(b"\0") if b"=" in item
                )
                found[int(env.get(b"PMI_RANK", b"0"))] = int(entry.name)
        return found

    def wait(self, timeout: float) -> int:
        """Wait for the server to exit by itself; returns its exit code."""
        return self.process.wait(timeout=timeout)

    def terminate(self) -> None:
        """Send SIGTERM to mpiexec (which forwards it to the ranks)."""
        self.process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        """Stop the server, politely first, then by force; always reaps every process."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # whatever is left of the group, ranks included
        self.process.wait(timeout=10)
        self._log.close()
        self._dir.cleanup()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def raw_join(
    send: Callable[[bytes], None], receive: Callable[[], Any], address: str, user: str = "", token: str | None = None
) -> Any:
    """The handshake of a hand-made stream (``send`` bytes, ``receive`` the next ServerMessage that is not an
    event): Hello, the server's Challenge, Authenticate with this user's local token file. Returns what answered
    the Authenticate (the Welcome message, or an error)."""
    host, port = address.rsplit(":", 1)
    token = tokens.find_local(host, int(port)) if token is None else token
    nonce = auth.nonce()
    send(codec.encode_request(1, messages.Hello(user=user, client_nonce=nonce)))
    challenge = codec.decode_reply(receive())
    assert isinstance(challenge, messages.Challenge), challenge
    proof = auth.client_proof(token, nonce, challenge.server_nonce) if token else b""
    send(codec.encode_request(2, messages.Authenticate(proof)))
    return receive()
