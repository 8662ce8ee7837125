"""The embedded FalkorDB server: persistence, reuse by a second process, recovery after a crash."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from graphkit.engines import EmbeddedEngine
from graphkit.engines.embedded import EmbeddedServer


def open_engine(directory: Path) -> EmbeddedEngine:
    return EmbeddedEngine(directory, graph_name="art", timeout_s=5)


def test_data_persists_after_the_last_client_leaves(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    engine.run("CREATE (:Artist {id: 'a'})", write=True)
    engine.close()
    assert not EmbeddedServer(tmp_path).is_running()  # the last client stopped it
    engine = open_engine(tmp_path)
    try:
        assert engine.run("MATCH (a:Artist) RETURN count(a) AS n").value() == 1
    finally:
        engine.close()


def test_second_process_reuses_the_running_server(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    try:
        pid = EmbeddedServer(tmp_path)._recorded_pid()
        code = (
            "from pathlib import Path; from graphkit.engines import EmbeddedEngine;"
            f"e = EmbeddedEngine(Path({str(tmp_path)!r}), graph_name='art', timeout_s=5);"
            "e.run(\"CREATE (:Artist {id: 'from-child'})\", write=True); e.close()"
        )
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
        # Same server, still running: the child saw another client and left it up.
        assert EmbeddedServer(tmp_path)._recorded_pid() == pid
        assert engine.run("MATCH (a:Artist {id: 'from-child'}) RETURN count(a) AS n").value() == 1
    finally:
        engine.close()


def test_stale_socket_and_pid_after_a_crash_do_not_block_a_start(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path)
    engine = open_engine(tmp_path)
    engine.run("CREATE (:Artist {id: 'before-crash'})", write=True)
    engine.command("SAVE")  # what the once-a-second log flush would have done by the crash
    pid = server._recorded_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # our child: reaped, or it stays a zombie in /proc
        time.sleep(0.05)
    assert Path(server.socket_path).exists()  # left behind by the crash

    recovered = open_engine(tmp_path)
    try:
        assert server._recorded_pid() != pid
        rows = recovered.run("MATCH (a:Artist) RETURN a.id AS id").rows
        assert rows == [{"id": "before-crash"}]
    finally:
        recovered.close()


def test_long_data_dir_uses_a_short_socket_path(tmp_path: Path) -> None:
    deep = tmp_path / ("x" * 60) / ("y" * 60)
    server = EmbeddedServer(deep)
    assert len(server.socket_path) <= 100
    engine = open_engine(deep)
    try:
        assert engine.run("RETURN 1 AS one").value() == 1
    finally:
        engine.close()


def test_unwritable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    from tests.helpers import run_cli

    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = run_cli("stats", data_dir=tmp_path, graph=f"embedded:{blocker / 'graph'}")
    assert result.returncode == 3
    assert "cannot keep the embedded graph" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_cli_command_stops_the_server_it_started(tmp_path: Path) -> None:
    """No leak: the command's own probe connections must not count as other clients, so each
    of several commands in a row starts the server and leaves it stopped."""
    from tests.helpers import run_cli

    for round_ in range(4):
        done = run_cli("cypher", "RETURN $n AS n", "--param", f"n={round_}", data_dir=tmp_path)
        assert done.returncode == 0, done.stderr
        assert not EmbeddedServer(tmp_path / "graph").is_running(), f"left running after {round_}"
    status = run_cli("server", "status", data_dir=tmp_path)
    assert status.returncode == 0 and status.stdout.startswith("stopped:")
