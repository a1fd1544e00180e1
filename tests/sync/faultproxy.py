"""A small TCP fault proxy for the sync tests (python3 stdlib only).

It listens on 127.0.0.1 port 0 and forwards every connection to a target
(host, port), with one fault at a time, switchable while it runs:

  pass              forward both ways unchanged
  delay S           wait S seconds before forwarding each chunk
  drop_up N         forward N bytes of the request, then close both sides
                    (the server never gets the whole body)
  drop_down N       forward the whole request but only N bytes of the
                    answer, then close (the server may have committed)
  reset             accept and reset the connection at once (RST)
  reset_down N      like drop_down, but with a reset instead of a close
  blackhole         accept and read, never forward, never answer

Used in-process: p = FaultProxy(("127.0.0.1", port)); p.set("drop_down",
64); ...; p.close(). `connections` counts the connections accepted.
"""

import os
import select
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testtime import scaled  # noqa: E402


class FaultProxy:

    def __init__(self, target):
        self.target = target
        self.mode, self.arg = "pass", 0
        self.lock = threading.Lock()
        self.connections = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.closing = False
        self.open = set()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def set(self, mode, arg=0):
        with self.lock:
            self.mode, self.arg = mode, arg

    def retarget(self, target):
        with self.lock:
            self.target = target

    def close(self):
        self.closing = True
        try:
            self.sock.close()
        except OSError:
            pass
        with self.lock:
            socks = list(self.open)
        for s in socks:
            self._shut(s)

    # ---- internals ----

    @staticmethod
    def _shut(s, reset=False):
        try:
            if reset:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
            s.close()
        except OSError:
            pass

    def _accept(self):
        while not self.closing:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
                mode, arg, target = self.mode, self.arg, self.target
                self.open.add(c)
            threading.Thread(target=self._serve, args=(c, mode, arg, target),
                             daemon=True).start()

    def _serve(self, c, mode, arg, target):
        u = None
        try:
            if mode == "reset":
                self._shut(c, reset=True)
                return
            if mode == "blackhole":
                c.settimeout(scaled(60))
                while not self.closing:
                    if not c.recv(65536):
                        break
                return
            u = socket.create_connection(target, timeout=scaled(10))
            with self.lock:
                self.open.add(u)
            self._pump(c, u, mode, arg)
        except OSError:
            pass
        finally:
            with self.lock:
                self.open.discard(c)
                if u is not None:
                    self.open.discard(u)
            if u is not None:
                self._shut(u)
            self._shut(c, reset=(mode == "reset_down"))

    def _pump(self, c, u, mode, arg):
        up = down = 0
        while not self.closing:
            r, _, _ = select.select([c, u], [], [], scaled(30))
            if not r:
                return
            for s in r:
                data = s.recv(65536)
                if not data:
                    return
                if mode == "delay":
                    time.sleep(arg)
                if s is c:
                    if mode == "drop_up" and up + len(data) >= arg:
                        u.sendall(data[:max(0, arg - up)])
                        return
                    up += len(data)
                    u.sendall(data)
                else:
                    if mode in ("drop_down", "reset_down") and \
                            down + len(data) >= arg:
                        c.sendall(data[:max(0, arg - down)])
                        return
                    down += len(data)
                    c.sendall(data)
