"""A local Neo4j 5.26 for tests and for people with Java but no Docker.

`tools/neo4j-local` is a small Maven project whose launcher runs Neo4j Community in-process with
Bolt on 127.0.0.1 and authentication on. It is built with `mvn` on first use (the jars come from
Maven Central), then started in the background; its pid, Bolt URIs and password are kept in the
server's directory so that `status` and `stop` find it from any later process.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from graphkit.errors import ConfigError, GraphUnavailable
from graphkit.settings import PROJECT_ROOT

TOOL_DIR = PROJECT_ROOT / "tools" / "neo4j-local"
MAIN_CLASS = "graphkit.Neo4jLocal"
MIN_JAVA = 17
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 60.0
STATE_FILE = "neo4j-local.json"


@dataclass(frozen=True)
class LocalServer:
    """A running local Neo4j: its process, its Bolt URIs (one per instance) and password."""

    directory: Path
    pid: int
    uris: list[str]
    password: str

    @property
    def uri(self) -> str:
        return self.uris[0]

    def shell_exports(self) -> str:
        return (
            f"export GRAPHKIT_GRAPH={self.uri}\n"
            "export NEO4J_USER=neo4j\n"
            f"export NEO4J_PASSWORD={self.password}\n"
        )


def _require_tool(name: str, why: str, install: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ConfigError(f"{name} is not installed; {why}: install {install}")
    return path


def java_executable() -> str:
    """The `java` to run the server with, checked to be version 17 or newer."""
    install = "a JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless)"
    java = _require_tool("java", "the local Neo4j needs Java 17+", install)
    probe = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', probe.stderr + probe.stdout)
    if not match:
        raise ConfigError(f"cannot tell the version of {java}; the local Neo4j needs Java 17+")
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8" style
        major = int(match.group(2))
    if major < MIN_JAVA:
        raise ConfigError(f"{java} is Java {major}; the local Neo4j needs {install}")
    return java


def _build_stamp() -> str:
    digest = hashlib.sha256()
    for path in sorted([TOOL_DIR / "pom.xml", *TOOL_DIR.glob("src/**/*.java")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build(*, quiet: bool = True) -> Path:
    """Build the launcher with Maven unless this exact source is built already; returns the
    tool's target directory (classes, lib/ with the runtime jars, plugins/ with GDS)."""
    if not (TOOL_DIR / "pom.xml").is_file():
        raise ConfigError(
            f"the local Neo4j launcher is not at {TOOL_DIR}: it ships with a source checkout "
            "of graphkit; use docker compose or an existing Neo4j server instead"
        )
    target = TOOL_DIR / "target"
    stamp = target / f".built-{_build_stamp()}"
    if stamp.exists():
        return target
    mvn = _require_tool(
        "mvn", "the local Neo4j is built with Maven", "Maven 3 (Debian: apt-get install maven)"
    )
    java_executable()
    print("building the local Neo4j launcher with Maven (first use only)...", file=sys.stderr)
    # A clean build: jars of an older pinned version must not stay on the classpath.
    shutil.rmtree(target, ignore_errors=True)
    args = [mvn, "-B", "-f", str(TOOL_DIR / "pom.xml"), "package"]
    if quiet:
        args.insert(1, "-q")
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise ConfigError(f"building {TOOL_DIR} with Maven failed:\n{tail}")
    stamp.touch()
    return target


class LocalNeo4j:
    """Start, find or stop the local Neo4j that owns DIRECTORY."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory).expanduser().resolve()
        self.state_file = self.directory / STATE_FILE
        self.log_file = self.directory / "neo4j-local.log"
        self.out_file = self.directory / "neo4j-local.out"
        self.password_file = self.directory / "password"

    def status(self) -> LocalServer | None:
        """The server running from this directory, or None (a stale state file is removed)."""
        try:
            state = json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return None
        pid = int(state.get("pid", 0))
        if not _is_launcher(pid):
            with contextlib.suppress(FileNotFoundError):
                self.state_file.unlink()
            return None
        return LocalServer(self.directory, pid, list(state["uris"]), self._password())

    def _password(self) -> str:
        if self.password_file.exists():
            return self.password_file.read_text().strip()
        password = secrets.token_urlsafe(18)
        self.password_file.write_text(password + "\n")
        self.password_file.chmod(0o600)
        return password

    def start(
        self,
        *,
        port: int = 0,
        instances: int = 1,
        watch_pid: int | None = None,
        timeout_s: float = START_TIMEOUT_S,
    ) -> LocalServer:
        """Start the server (or return the one already running here) and wait until every
        instance answers on Bolt."""
        if not 0 <= port <= 65535:
            raise ConfigError(f"--port must be between 0 and 65535, not {port}")
        if not 1 <= instances <= 16:
            raise ConfigError(f"instances must be between 1 and 16, not {instances}")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot keep a local Neo4j in {self.directory}: {exc}") from exc
        running = self.status()
        if running is not None:
            return running
        target = build()
        java = java_executable()
        password = self._password()
        heap_mb = min(4096, 768 + 512 * instances)
        args = [
            java,
            f"-Xmx{heap_mb}m",
            "-XX:+UseParallelGC",
            "-cp",
            os.pathsep.join([str(target / "classes"), str(target / "lib" / "*")]),
            MAIN_CLASS,
            "--dir",
            str(self.directory / "server"),
            "--password",
            password,
            "--plugins",
            str(target / "plugins"),
            "--port",
            str(port),
            "--instances",
            str(instances),
        ]
        if watch_pid is not None:
            args += ["--watch-pid", str(watch_pid)]
        with open(self.out_file, "w") as out, open(self.log_file, "a") as log:
            # A session of its own: Ctrl-C in the shell that started it must not stop it.
            proc = subprocess.Popen(
                args, stdout=out, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True
            )
        uris = self._wait_ready(proc, timeout_s)
        self.state_file.write_text(json.dumps({"pid": proc.pid, "uris": uris}))
        server = LocalServer(self.directory, proc.pid, uris, password)
        _check_bolt(server)
        return server

    def _wait_ready(self, proc: subprocess.Popen[bytes], timeout_s: float) -> list[str]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            lines = self.out_file.read_text().split()
            if "READY" in lines:
                return [line for line in lines if line.startswith("bolt://")]
            if proc.poll() is not None:
                raise GraphUnavailable(
                    f"the local Neo4j in {self.directory} exited at start (code "
                    f"{proc.returncode}):\n{_tail(self.log_file)}"
                )
            time.sleep(0.2)
        _terminate(proc.pid)
        raise GraphUnavailable(
            f"the local Neo4j in {self.directory} did not start within {timeout_s:.0f} s; "
            f"see {self.log_file}"
        )

    def stop(self) -> bool:
        """Stop the server running from this directory; True when one was running."""
        running = self.status()
        if running is None:
            return False
        _terminate(running.pid)
        with contextlib.suppress(FileNotFoundError):
            self.state_file.unlink()
        return True


def _check_bolt(server: LocalServer) -> None:
    from neo4j import GraphDatabase

    for uri in server.uris:
        with GraphDatabase.driver(uri, auth=("neo4j", server.password)) as driver:
            driver.verify_connectivity()


def _is_launcher(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return MAIN_CLASS.encode() in cmdline


def _terminate(pid: int) -> None:
    """SIGTERM (Neo4j shuts down cleanly on it), then SIGKILL if it hangs."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while _is_launcher(pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it if it is our child
        time.sleep(0.1)
    if _is_launcher(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _tail(path: Path, lines: int = 12) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    kept = [line for line in text.splitlines() if not line.lstrip().startswith("at ")]
    return "\n".join(kept[-lines:])


def empty_database(uri: str, *, user: str, password: str) -> None:
    """Remove every node, constraint, index and GDS projection from a THROWAWAY database (the
    tests' and benchmarks' local servers), in batches a large graph fits in."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, auth=(user, password)) as driver, driver.session() as session:
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
        for (name,) in session.run("SHOW CONSTRAINTS YIELD name").values():
            session.run(f"DROP CONSTRAINT {_quote(name)}").consume()
        for (name,) in session.run(
            "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"
        ).values():
            session.run(f"DROP INDEX {_quote(name)}").consume()
        with contextlib.suppress(Exception):  # GDS projections, where GDS is loaded
            session.run(
                "CALL gds.graph.list() YIELD graphName "
                "CALL gds.graph.drop(graphName) YIELD graphName AS dropped RETURN count(*)"
            ).consume()


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"
