"""A throwaway PostgreSQL cluster for the central-store tests.

Debian's postgresql: initdb into a temporary directory, postgres started by
pg_ctl with listen_addresses='' (Unix socket only, in that directory; the
port number only names the socket file), trust authentication for the one
role "pos". initdb and postgres refuse to run as root: as root (CI) they run
as the "postgres" user, the directory handed to it. Stopped by its PID.

Each test gets a database of its own (new_database), optionally copied
from another (a template), so tests of one process share one cluster.
"""

import atexit
import glob
import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
import time

from testtime import scaled

PG_ROLE = "pos"


def pg_bindir():
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    return None


def available():
    return pg_bindir() is not None and shutil.which("psql") is not None


class Cluster:
    """A running postgres: its directory (the socket's too) and PID."""

    def __init__(self, durable=False):
        """durable: fsync on, as a real server (benchmarks); tests run
        without it."""
        self.bindir = pg_bindir()
        if self.bindir is None:
            raise RuntimeError("PostgreSQL is not installed (postgresql)")
        self.dir = tempfile.mkdtemp(prefix="pos-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = 5432
        self.pid = None
        self.user = None
        self.seq = 0
        if os.geteuid() == 0:
            self.user = "postgres"
            pw = pwd.getpwnam(self.user)
            os.chmod(self.dir, 0o755)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            # The path to it must be searchable by that user.
            parent = os.path.dirname(self.dir)
            mode = stat.S_IMODE(os.stat(parent).st_mode)
            if mode & 0o001 == 0:
                os.chmod(parent, mode | 0o711)
        self._run([os.path.join(self.bindir, "initdb"), "-D", self.data,
                   "-A", "trust", "-U", PG_ROLE, "-E", "UTF8",
                   "--locale=C.UTF-8", "--no-sync"])
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write("\nlisten_addresses = ''\n"
                    "unix_socket_directories = '%s'\n"
                    "port = %d\nfsync = %s\nmax_connections = 200\n"
                    "shared_buffers = 32MB\n" % (
                        self.dir, self.port, "on" if durable else "off"))
        self.start()
        atexit.register(self.stop)

    def _run(self, argv, check=True):
        if self.user is not None:
            argv = ["runuser", "-u", self.user, "--"] + argv
        p = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, cwd="/",
                           timeout=scaled(120))
        if check and p.returncode != 0:
            raise RuntimeError("%s: exit %d\n%s" % (
                " ".join(argv), p.returncode, p.stdout.decode(
                    "utf-8", "replace")))
        return p

    def start(self):
        """Start postgres (pg_ctl -w waits until it takes connections)."""
        self._run([os.path.join(self.bindir, "pg_ctl"), "-D", self.data,
                   "-l", os.path.join(self.dir, "log"), "-w", "-t",
                   str(int(scaled(60))), "start"])
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            self.pid = int(f.readline())

    def stop(self):
        """Stop it by its PID (fast shutdown: SIGINT), wait for it to go."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        try:
            os.kill(pid, signal.SIGINT)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + scaled(60)
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)

    def destroy(self):
        self.stop()
        shutil.rmtree(self.dir, True)

    def uri(self, db):
        return "postgresql:///%s?host=%s&port=%d&user=%s" % (
            db, self.dir, self.port, PG_ROLE)

    def psql(self, db, sql, check=True, timeout=60):
        """Run sql in db; rows as lists of strings (psql -At, | apart)."""
        p = subprocess.run(["psql", "-X", "-q", "-At", "-v",
                            "ON_ERROR_STOP=1", "-h", self.dir, "-p",
                            str(self.port), "-U", PG_ROLE, "-d", db,
                            "-c", sql], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=scaled(timeout))
        if check and p.returncode != 0:
            raise RuntimeError("psql: %s\n%s" % (sql, p.stderr.decode()))
        out = p.stdout.decode("utf-8")
        return [line.split("|") for line in out.splitlines() if line != ""]

    def new_database(self, template=None):
        """A new empty database (or a copy of template); its name."""
        self.seq += 1
        name = "t%d_%d" % (os.getpid(), self.seq)
        self.psql("postgres", "CREATE DATABASE %s%s" % (
            name, " TEMPLATE " + template if template else ""))
        return name


_cluster = None


def cluster():
    """The process's cluster, started on first use."""
    global _cluster
    if _cluster is None:
        _cluster = Cluster()
        atexit.register(_cluster.destroy)
    return _cluster
