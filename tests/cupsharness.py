"""A private cupsd for tests, and a TCP "printer" that records what it gets.

The recipe is the one in shared/TESTING.md: a temporary ServerRoot,
`Listen $B/sock` (no TCP port), `User lp` with every parent directory
reachable by lp, and CUPS_SERVER=$B/sock for libcups and the lp tools.
Stop only what was started here, by PID. Timeouts given to these helpers
are for a plain build; they are scaled here (tests/testtime.py).
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

from testtime import scaled, wait_until


def find(name):
    return shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}")
         if os.path.exists(p)), None)


class Listener:
    """A raw-socket printer on 127.0.0.1 (port 0 unless given): one entry
    of bytes per connection."""

    def __init__(self, port=0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.jobs = []
        self.cond = threading.Condition()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            data = bytearray()
            conn.settimeout(scaled(30))
            try:
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
            conn.close()
            with self.cond:
                self.jobs.append(bytes(data))
                self.cond.notify_all()

    def wait(self, count, timeout):
        deadline = time.monotonic() + scaled(timeout)
        with self.cond:
            while len(self.jobs) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)
        return True

    def close(self):
        """Stop listening: connections are refused from now on."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class PrivateCups:
    """cupsd in a temporary directory, reached through its Unix socket."""

    def __init__(self):
        self.cupsd = find("cupsd")
        self.proc = None
        self.base = tempfile.mkdtemp(prefix="pos-cupsd-")
        os.chmod(self.base, 0o777)
        parent = os.path.dirname(self.base)
        while parent != "/":
            os.chmod(parent, os.stat(parent).st_mode | 0o055)
            parent = os.path.dirname(parent)
        for d in ("spool/temp", "log", "cache", "state"):
            os.makedirs(os.path.join(self.base, d), mode=0o777,
                        exist_ok=True)
        for root, dirs, _ in os.walk(self.base):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o777)
        self.sock = os.path.join(self.base, "sock")
        b = self.base
        with open(os.path.join(b, "cupsd.conf"), "w") as f:
            # DirtyCleanInterval 0: queues reach disk at once, so they
            # survive a cupsd killed with SIGKILL.
            f.write(f"Listen {self.sock}\nBrowsing Off\nWebInterface No\n"
                    "DirtyCleanInterval 0\n"
                    "<Policy default>\n<Limit All>\nOrder Allow,Deny\n"
                    "Allow all\n</Limit>\n</Policy>\n")
        with open(os.path.join(b, "cups-files.conf"), "w") as f:
            f.write(f"FileDevice Yes\nServerRoot {b}\nStateDir {b}/state\n"
                    f"CacheDir {b}/cache\nRequestRoot {b}/spool\n"
                    f"TempDir {b}/spool/temp\nAccessLog {b}/log/access_log\n"
                    f"ErrorLog {b}/log/error_log\n"
                    f"PageLog {b}/log/page_log\nUser lp\n")
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("CUPS_PRINTER", "LPDEST", "PRINTER")}
        self.env["CUPS_SERVER"] = self.sock

    def tool(self, name, *args, check=True):
        r = subprocess.run([find(name), *args], env=self.env,
                           capture_output=True, timeout=scaled(30))
        if check and r.returncode != 0:
            raise RuntimeError(f"{name} {' '.join(args)}: "
                               f"{r.stderr.decode(errors='replace')}")
        return r

    def start(self, timeout=15):
        self.proc = subprocess.Popen(
            [self.cupsd, "-c", f"{self.base}/cupsd.conf",
             "-s", f"{self.base}/cups-files.conf", "-f"],
            env=self.env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + scaled(timeout)
        while True:
            r = self.tool("lpstat", "-r", check=False)
            if b"is running" in r.stdout:
                return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("cupsd did not start")
            time.sleep(0.05)

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(scaled(10))

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(scaled(10))
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def jobs(self, which="not-completed"):
        """CUPS's job list (lpstat -W WHICH -o): one line a job."""
        r = self.tool("lpstat", "-W", which, "-o")
        return [ln for ln in r.stdout.decode(errors="replace").splitlines()
                if ln.strip()]

    def wait_idle(self, timeout=30):
        """Poll until CUPS has no job left to do; False at the deadline."""
        return wait_until(lambda: not self.jobs(), timeout, interval=0.1)

    def raw_queue(self, name, port):
        self.tool("lpadmin", "-p", name, "-E", "-v",
                  f"socket://127.0.0.1:{port}", "-m", "raw")

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


def raw_printer(test):
    """For a PosTestCase: a private cupsd and a raw queue "receipt" to a
    Listener (test.cups, test.printer, both stopped at cleanup), and the
    test's env pointing pos at it with text-mode ESC/POS. Skips the test
    when cupsd is not installed."""
    if find("cupsd") is None:
        test.skipTest("cupsd is not installed")
    test.cups = PrivateCups()
    test.addCleanup(test.cups.cleanup)
    test.cups.start()
    test.printer = Listener()
    test.addCleanup(test.printer.close)
    test.cups.raw_queue("receipt", test.printer.port)
    test.env.update({
        "CUPS_SERVER": test.cups.sock,
        "POS_PRINTER_NAME": "receipt",
        "POS_PRINTER_FORMAT": "escpos",
        "POS_WINDOW_NAME": "Sales window 7",
    })
