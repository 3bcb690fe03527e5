"""Run neo4j-admin's offline importer on the home of a stopped Neo4j server.

``neo4j-admin database import full`` is ``org.neo4j.cli.AdminTool`` in the jars every
Neo4j 5 server runs from: ``lib/`` of a tarball install, or the Maven Central jars of
the dev server (``deploy/neo4j/neo4j.sh``, which names them in its generated
``conf/neo4j.conf``). It runs on the same Java, with ``NEO4J_HOME`` and ``NEO4J_CONF``
pointing at the server's home, so it writes the database where the server will read it.

The importer writes store files directly; it must not run while the server runs, and
it refuses a database that exists unless told to overwrite it. Both are checked here
first, with one clear message each: the pid file of a running server (``neo4j.pid`` of
the dev server, ``run/neo4j.pid`` of a tarball install), and the database's directory.
Constraints and indexes are made by the server afterwards: the first
:class:`~.Neo4jStore` that connects creates them and waits until they are online.

Examples
--------
>>> _seconds("1m 2s 30ms"), _seconds("783ms"), _seconds("1h 1s")
(62.03, 0.783, 3601.0)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from leadgraph.errors import BackendUnavailable, IngestError, InvalidQuery
from leadgraph.graph.neo4j_csv import ImportFiles

__all__ = ["ServerHome", "ImportRun", "find_java", "run_import"]

ADMIN_TOOL = "org.neo4j.cli.AdminTool"
_DATABASE = re.compile(r"^[a-z][a-z0-9.-]{2,62}$")  # Neo4j's rule for a database name
# Neo4j's own flags for off-heap buffers and native memory (see deploy/neo4j/README.md).
_JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dfile.encoding=UTF-8",
]
_STAGE = re.compile(r"^(\S.*), started \d{4}-\d\d-\d\d")
_DONE = re.compile(r"^Done in ((?:\d+(?:ms|[hmsd])\s*)+)$")
_TOTAL = re.compile(r"^IMPORT DONE in ((?:\d+(?:ms|[hmsd])\s*)+)\.")
_IMPORTED = re.compile(r"^\s+(\d+) (nodes|relationships|properties)\s*$")
_PEAK = re.compile(r"^Peak memory usage: (.+?)\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def _seconds(text: str) -> float:
    """``1m 2s 30ms`` (the importer's durations) in seconds."""
    return round(sum(int(n) * _UNITS[u] for n, u in re.findall(r"(\d+)(ms|[hmsd])", text)), 3)


def _settings(conf: Path) -> dict[str, str]:
    settings = {}
    for line in conf.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and not name.startswith("#"):
            settings[name.strip()] = value.strip()
    return settings


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: assume it is the server
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().lower()
    except OSError:
        return True
    return b"neo4j" in cmdline  # a reused pid of another program does not count


@dataclass(frozen=True)
class ServerHome:
    """A Neo4j home: ``conf/neo4j.conf`` and the data, run and lib directories it names."""

    path: Path
    conf_dir: Path
    data_dir: Path
    run_dir: Path
    lib_dir: Path

    @classmethod
    def at(cls, path: Path) -> "ServerHome":
        home = path.resolve()
        conf = home / "conf" / "neo4j.conf"
        if not conf.is_file():
            raise InvalidQuery(f"{path} 不是 Neo4j 目录：没有 conf/neo4j.conf (not a Neo4j home: no conf/neo4j.conf)")
        settings = _settings(conf)

        def directory(name: str, default: str) -> Path:
            value = Path(settings.get(f"server.directories.{name}", default))
            return value if value.is_absolute() else home / value

        lib = directory("lib", "lib")
        if not any(lib.glob("neo4j-import-tool-*.jar")):
            raise BackendUnavailable(
                f"{lib} 中没有 neo4j-admin 的 jar 包 (no neo4j-import-tool jar in {lib}; "
                "run bash deploy/neo4j/neo4j.sh start once to fetch the jars)"
            )
        return cls(home, conf.parent, directory("data", "data"), directory("run", "run"), lib)

    def server_pid(self) -> int | None:
        """The pid of a server running on this home, if its pid file names a live Neo4j."""
        for pid_file in (self.path / "neo4j.pid", self.run_dir / "neo4j.pid"):
            try:
                pid = int(pid_file.read_text(encoding="utf-8").strip())
            except (OSError, ValueError):
                continue
            if _alive(pid):
                return pid
        return None

    def database_dir(self, database: str) -> Path:
        return self.data_dir / "databases" / database

    def check_importable(self, database: str, *, overwrite: bool) -> None:
        """Refuse a bad database name, a running server, or an existing database unless ``overwrite``."""
        if not _DATABASE.match(database):
            raise InvalidQuery(f"数据库名「{database}」不合规 (a database name is 3–63 of a-z, 0-9, '.', '-', starting with a letter)")
        pid = self.server_pid()
        if pid is not None:
            raise InvalidQuery(
                f"Neo4j 正在运行（pid {pid}），请先停止服务器 (Neo4j is running on {self.path} as pid {pid}; "
                "stop it first, e.g. bash deploy/neo4j/neo4j.sh stop)"
            )
        target = self.database_dir(database)
        if target.is_dir() and any(target.iterdir()) and not overwrite:
            raise InvalidQuery(
                f"数据库「{database}」已存在，可能含有数据；确认要覆盖请加 --overwrite "
                f"(database {database!r} already exists in {target} and may hold data; pass --overwrite to replace it)"
            )


def find_java() -> str:
    """Java as deploy/neo4j/neo4j.sh finds it: ``NEO4J_JAVA_HOME``, ``JAVA_HOME``, Debian's 17, ``PATH``."""
    for home in (os.environ.get("NEO4J_JAVA_HOME"), os.environ.get("JAVA_HOME"), "/usr/lib/jvm/java-17-openjdk-amd64"):
        if home and os.access(Path(home) / "bin" / "java", os.X_OK):
            return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise BackendUnavailable("找不到 Java (no Java found; set JAVA_HOME to a Java 17 or 21 JDK)")
    return found


@dataclass
class ImportRun:
    """What the importer reported: its stages and their seconds, totals, the whole output."""

    stages: list[tuple[str, float]] = field(default_factory=list)
    import_s: float = 0.0  # the importer's own total ("IMPORT DONE in …")
    wall_s: float = 0.0  # with the JVM's start
    nodes: int = 0
    relationships: int = 0
    properties: int = 0
    peak_memory: str = ""
    log: Path | None = None

    @classmethod
    def parse(cls, output: str) -> "ImportRun":
        run, stage = cls(), None
        for line in output.splitlines():
            if m := _STAGE.match(line):
                stage = m.group(1)
            elif (m := _DONE.match(line)) and stage is not None:
                run.stages.append((stage, _seconds(m.group(1))))
                stage = None
            elif m := _TOTAL.match(line):
                run.import_s = _seconds(m.group(1))
            elif m := _IMPORTED.match(line):
                setattr(run, m.group(2), int(m.group(1)))
            elif m := _PEAK.match(line):
                run.peak_memory = m.group(1)
        return run


def _failure(output: str) -> str:
    """The line that says why: the deepest cause the importer printed, else its last words."""
    causes = [line.split(": ", 1)[-1] for line in output.splitlines() if line.startswith("Caused by: ")]
    if causes:
        return causes[-1].split("Exception: ")[-1]
    lines = [line for line in output.splitlines() if line.strip() and not line.startswith(("\t", "[", "."))]
    return " / ".join(lines[-3:])


def run_import(
    home: ServerHome, files: ImportFiles, database: str = "neo4j", *, overwrite: bool = False, log: Path | None = None
) -> ImportRun:
    """Run ``neo4j-admin database import full`` on ``files`` into ``database`` of the stopped ``home``.

    The output goes to ``log`` (default ``files.directory/neo4j-admin-import.log``). A
    failed import raises :class:`~leadgraph.errors.IngestError` with the importer's
    reason; the database it left behind is unusable (run again with ``overwrite``).
    """
    home.check_importable(database, overwrite=overwrite)
    log = log or files.directory / "neo4j-admin-import.log"
    command = [
        find_java(), *_JVM_FLAGS, "-cp", str(home.lib_dir / "*"), ADMIN_TOOL, "database", "import", "full",
        database,  # before the file lists: --nodes takes every following word that is not an option
        "--verbose", f"--report-file={files.directory / 'import.report'}",
        *(["--overwrite-destination=true"] if overwrite else []),
        *files.arguments(),
    ]
    env = {**os.environ, "NEO4J_HOME": str(home.path), "NEO4J_CONF": str(home.conf_dir)}
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        finished = subprocess.run(command, cwd=files.directory, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    output = log.read_text(encoding="utf-8", errors="replace")
    if finished.returncode != 0:
        raise IngestError(
            f"neo4j-admin 导入失败：{_failure(output)} (neo4j-admin import failed with exit status "
            f"{finished.returncode}; full output in {log})"
        )
    run = ImportRun.parse(output)
    run.wall_s, run.log = round(time.perf_counter() - started, 3), log
    return run
