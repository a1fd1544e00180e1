"""The central server's edge: misbehaving clients against the real
pos-central on loopback while a real window (`pos sync`) pushes its day.

Attackers are Python asyncio clients bound to other loopback addresses
(127.0.0.2 and up; Linux routes all of 127/8 to lo), so "one address" is
theirs and the window keeps 127.0.0.1. The server runs with a short
--progress-timeout so a stalled connection is cut in seconds. Every attack
is bounded: it stops when the window's sync is done, or after a deadline.

Also: keep-alive on every answer, strict HTTP framing (400 with a reason),
a chunked body cut at the limit, requests per second per address and per
branch (429), and the store file made 0600 when serve starts.
"""

import asyncio
import http.client
import json
import os
import re
import select
import signal
import socket
import stat
import threading
import time
import unittest

import centralharness as h
import pushharness as ph
from testtime import scaled

PROGRESS = 2          # --progress-timeout of these servers, seconds
SYNC_BUDGET = 10      # what one window's sync may take (its normal budget)


def read_to_end(s):
    """What the server sends until it closes; the socket is closed."""
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
    s.close()
    return data


class Attack:
    """An asyncio attack on its own thread, stopped by stop() or a deadline.
    `slots` coroutines each loop: connect from `src`, run `body(reader,
    writer)` until the server closes, record the connection's lifetime."""

    def __init__(self, host, port, slots, limit):
        self.host, self.port = host, port
        self.slots = slots          # [(source address, coroutine fn)]
        self.limit = limit
        self.lifetimes = []         # seconds, of connections the server ended
        self.connections = 0
        self.errors = 0
        self._stop = None
        self._loop = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(scaled(30))

    def _run(self):
        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(self._main())
        self._loop.close()

    async def _main(self):
        self._stop = asyncio.Event()
        tasks = [asyncio.ensure_future(self._slot(src, fn))
                 for src, fn in self.slots]
        try:
            await asyncio.wait_for(self._stop.wait(), self.limit)
        except asyncio.TimeoutError:
            pass
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _slot(self, src, fn):
        while not self._stop.is_set():
            try:
                r, w = await asyncio.open_connection(
                    self.host, self.port, local_addr=(src, 0))
            except OSError:
                self.errors += 1
                await asyncio.sleep(0.05)
                continue
            self.connections += 1
            t0 = time.monotonic()
            try:
                await fn(r, w, self._stop)
                if not self._stop.is_set():
                    self.lifetimes.append(time.monotonic() - t0)
            except (OSError, asyncio.IncompleteReadError):
                self.lifetimes.append(time.monotonic() - t0)
            finally:
                w.close()
                try:
                    await w.wait_closed()
                except OSError:
                    pass
            await asyncio.sleep(0.05)

    def held(self):
        """Lifetimes of the connections the server took (not refused at
        once for the per-address limit)."""
        return [t for t in self.lifetimes if t > 0.5]


async def _closed(reader, stop, wait):
    """True when the server closed the connection within `wait` seconds."""
    try:
        d = await asyncio.wait_for(reader.read(65536), wait)
    except asyncio.TimeoutError:
        return False
    if d:
        # an answer: read on until the close
        while d and not stop.is_set():
            d = await reader.read(65536)
    return True


def slowloris(every=0.3):
    """A header line every `every` seconds, never the blank line."""
    async def run(r, w, stop):
        w.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        while not stop.is_set():
            await w.drain()
            if await _closed(r, stop, every):
                return
            w.write(b"X-Wait: a\r\n")
    return run


def idle():
    """Connects and says nothing."""
    async def run(r, w, stop):
        while not stop.is_set():
            if await _closed(r, stop, 0.5):
                return
    return run


def slow_body(token, length, first, every=0.3):
    """POST /v1/journal declaring `length` bytes: `first` bytes at once,
    then one byte every `every` seconds."""
    async def run(r, w, stop):
        w.write(("POST /v1/journal HTTP/1.1\r\nHost: x\r\n"
                 "Authorization: Bearer %s\r\nContent-Type: application/json"
                 "\r\nContent-Length: %d\r\n\r\n" % (token, length)).encode())
        w.write(b" " * first)
        while not stop.is_set():
            await w.drain()
            if await _closed(r, stop, every):
                return
            w.write(b" ")
    return run


class Edge(ph.PushTestCase):

    def make_stores(self):
        toks = self.init_central(("DMS01", "HMS01"))
        self.make_window("w1", "DMS01", 1)
        return toks

    def setUp(self):
        super().setUp()
        self.tokens = self.made_once(self.make_stores,
                                     ("central.db", "w1.db"))
        self.win = os.path.join(self.tmp, "w1.db")

    def serve_edge(self, extra=()):
        return self.serve(["--progress-timeout", str(PROGRESS)] + list(extra))

    def window_syncs_during(self, srv, attack, what):
        """The window's sync completes, in its budget, while attack runs."""
        attack.start()
        try:
            # Let the attack take hold first.
            ph.wait_until(lambda: attack.connections >= len(attack.slots),
                          10)
            rc, j, err, dt = self.sync(self.win, self.url(srv),
                                       self.token_file(self.tokens["DMS01"]))
            # Go on until the server has ended some held connections.
            ph.wait_until(lambda: len(attack.held()) >= 8, 3 * PROGRESS + 5)
        finally:
            attack.stop()
        self.assertEqual(rc, 0, "pos sync during %s: %s\n%s" % (what, j, err))
        self.assertTrue(j["ok"] and j["unsynced"] == 0, j)
        self.assertLess(dt, scaled(SYNC_BUDGET), "pos sync took %.1f s" % dt)
        self.assert_central_equals_window(self.win, "DMS01", 1)
        self.note("%s: pos sync done in %.2f s, %d attacking connections"
                  % (what, dt, attack.connections))
        return dt

    def assert_cut(self, attack, what):
        """Every attacking connection the server ended lived at most the
        progress timeout (plus slack), however often it sent a byte."""
        held = attack.held()
        self.assertGreaterEqual(len(held), 8, what)
        longest = max(held)
        self.assertLess(longest, PROGRESS + scaled(1.5),
                        "%s: a connection lived %.1f s" % (what, longest))
        self.note("%s: %d connections ended by the server after %.2f to "
                  "%.2f s (--progress-timeout %d), %d refused at once"
                  % (what, len(held), min(held), longest, PROGRESS,
                     len(attack.lifetimes) - len(held)))

    # ---- slow clients ----

    def test_slowloris_from_one_address(self):
        srv = self.serve_edge()
        slots = [("127.0.0.2", slowloris()) for _ in range(250)] + \
            [("127.0.0.2", idle()) for _ in range(250)]
        attack = Attack(srv.host, srv.port, slots, scaled(60))
        self.window_syncs_during(srv, attack, "500 slow/idle sockets "
                                 "from 127.0.0.2")
        self.assert_cut(attack, "slowloris")

    def test_slow_bodies_from_one_branch(self):
        """HMS01's token on 16 connections from 16 addresses, each
        declaring 4 MiB: half send 4 MiB minus a byte at once and stall,
        half send a byte every 0.3 s. DMS01's window is not held up."""
        srv = self.serve_edge()
        tok = self.tokens["HMS01"]
        full = 4 << 20
        slots = []
        for i in range(16):
            first = full - 1 if i % 2 == 0 else 0
            slots.append(("127.0.0.%d" % (10 + i),
                          slow_body(tok, full, first)))
        attack = Attack(srv.host, srv.port, slots, scaled(60))
        self.window_syncs_during(srv, attack, "16 slow 4 MiB bodies of "
                                 "branch HMS01")
        self.assert_cut(attack, "slow bodies")
        with open(srv.errlog, errors="replace") as f:
            err = f.read()
        self.assertIn("HMS01 holds", err)

    def test_slow_bodies_from_one_address(self):
        srv = self.serve_edge()
        tok = self.tokens["HMS01"]
        full = 4 << 20
        slots = [("127.0.0.2", slow_body(tok, full, full - 1 if i % 2 else 0))
                 for i in range(16)]
        attack = Attack(srv.host, srv.port, slots, scaled(60))
        self.window_syncs_during(srv, attack, "16 slow 4 MiB bodies from "
                                 "127.0.0.2")
        self.assert_cut(attack, "slow bodies")

    def test_chunked_body_is_cut_at_the_limit(self):
        srv = self.serve_edge(["--max-body", str(1 << 20)])
        s = socket.create_connection((srv.host, srv.port), scaled(10))
        s.sendall(("POST /v1/journal HTTP/1.1\r\nHost: x\r\nAuthorization: "
                   "Bearer %s\r\nTransfer-Encoding: chunked\r\n\r\n"
                   % self.tokens["DMS01"]).encode())
        chunk = b"10000\r\n" + b" " * 0x10000 + b"\r\n"
        sent, t0 = 0, time.monotonic()
        try:
            while sent < (1 << 30):
                s.sendall(chunk)
                sent += 0x10000
        except OSError:
            pass
        dt = time.monotonic() - t0
        s.close()
        # The limit, what is dropped after it, and the socket buffers.
        self.assertLess(sent, 32 << 20, "%d bytes sent" % sent)
        self.assertEqual(self.counts()[0], 0)
        self.note("chunked body over --max-body 1 MiB: cut after %d bytes "
                  "sent (%.2f s)" % (sent, dt))

    # ---- limits on how often ----

    def test_requests_per_second_per_address_and_branch(self):
        srv = self.serve_edge(["--rate-address", "5", "--rate-branch", "3"])
        c = http.client.HTTPConnection(srv.host, srv.port, timeout=scaled(10),
                                       source_address=("127.0.0.3", 0))
        seen = []
        for _ in range(30):
            c.request("GET", "/healthz")
            r = c.getresponse()
            r.read()
            seen.append((r.status, r.getheader("Retry-After")))
        c.close()
        self.assertIn((429, "1"), seen)
        self.assertEqual(seen[0][0], 200)
        self.assertLessEqual(seen.count((200, None)), 10 + 5 * scaled(3))
        # Another address is not held by it.
        st, body = self.post(srv, None, b"", path="/healthz", method="GET")
        self.assertEqual((st, body), (200, "ok\n"))
        self.note("30 GET /healthz from 127.0.0.3 at --rate-address 5: %d "
                  "answered 200, the rest 429" % seen.count((200, None)))

        codes, refused = [], ""
        for i in range(20):
            c = http.client.HTTPConnection(
                srv.host, srv.port, timeout=scaled(10),
                source_address=("127.0.0.%d" % (20 + i), 0))
            c.request("GET", "/v1/status", headers={
                "Authorization": "Bearer " + self.tokens["HMS01"]})
            r = c.getresponse()
            body = r.read().decode()
            codes.append(r.status)
            if r.status == 429:
                refused = body
            c.close()
        self.assertIn(429, codes)
        self.assertIn("too many requests for branch HMS01", refused)
        st, body = self.post(srv, self.tokens["DMS01"], b"", path="/v1/status",
                             method="GET")
        self.assertEqual(st, 200, body)
        self.note("20 GET /v1/status of HMS01 at --rate-branch 3: %d were "
                  "429; DMS01 still 200" % codes.count(429))

    def test_requests_in_progress_per_branch(self):
        # A long progress timeout: the two held requests must stay in
        # progress however slowly this build reads them.
        srv = self.serve(["--progress-timeout", "240",
                          "--max-per-branch", "2"])
        tok = self.tokens["HMS01"]
        # Connection: close, so that each answer ends its connection.
        head = ("POST /v1/journal HTTP/1.1\r\nHost: x\r\nAuthorization: "
                "Bearer %s\r\nConnection: close\r\nContent-Length: 100"
                "\r\n" % tok).encode()
        # Each held request asks "Expect: 100-continue": libmicrohttpd
        # sends "100 Continue" only after the server has taken the
        # request's headers, so the next one goes only once this one is
        # in progress. (Sent all at once, the connections are taken by
        # different threads in any order: the third could be taken first
        # and a held one refused instead.)
        held = []
        for i in range(2):
            s = socket.create_connection((srv.host, srv.port), scaled(10),
                                         source_address=("127.0.0.%d"
                                                         % (30 + i), 0))
            s.sendall(head + b"Expect: 100-continue\r\n\r\n")
            got = b""
            while b"\r\n\r\n" not in got:
                d = s.recv(4096)
                self.assertTrue(d, "held request %d: closed: %r" % (i, got))
                got += d
            self.assertRegex(got.decode(), r"^HTTP/1\.1 100 ",
                             "held request %d" % i)
            s.sendall(b" " * 50)            # in progress: half a body
            held.append(s)
        ans = self.raw(srv, head + b"\r\n" + b" " * 100).decode()
        for s in held:
            s.close()
        self.assertRegex(ans, r"^HTTP/1\.1 503 ")
        self.assertIn("Retry-After: 1", ans)
        self.assertIn("branch HMS01 has 2 requests in progress", ans)
        st, body = self.post(srv, self.tokens["DMS01"], b"", path="/v1/status",
                             method="GET")
        self.assertEqual(st, 200, body)
        self.note("--max-per-branch 2: HMS01's third request 503; DMS01 200")

    # ---- HTTP ----

    def test_keep_alive_on_every_answer(self):
        srv = self.serve_edge()
        tok = self.tokens["DMS01"]
        batch = self.dump(self.win)
        c = http.client.HTTPConnection(srv.host, srv.port, timeout=scaled(10))
        auth = {"Authorization": "Bearer " + tok}
        asks = [("GET", "/healthz", None, {}, 200),
                ("GET", "/v1/status", None, auth, 200),
                ("GET", "/nowhere", None, {}, 404),
                ("POST", "/healthz", b"", {}, 405),
                ("GET", "/v1/status", None, {}, 401),
                ("POST", "/v1/journal", b"{}", {"Authorization": "Bearer " +
                                                "0" * 64}, 401),
                ("POST", "/v1/journal", b"[]", auth, 400),
                ("POST", "/v1/journal", json.dumps(batch).encode(),
                 auth, 200),
                ("GET", "/healthz", None, {}, 200)]
        port = None
        for method, path, body, headers, want in asks:
            c.request(method, path, body=body, headers=headers)
            r = c.getresponse()
            r.read()
            self.assertEqual(r.status, want, path)
            self.assertNotEqual((r.getheader("Connection") or "").lower(),
                                "close", "%s %s: %d" % (method, path, want))
            if port is None:
                port = c.sock.getsockname()[1]
            self.assertIsNotNone(c.sock, "%s %s closed" % (method, path))
            self.assertEqual(c.sock.getsockname()[1], port)
        c.close()
        self.note("%d requests (200, 404, 405, 401, 400) on one connection"
                  % len(asks))

    def raw(self, srv, request):
        s = socket.create_connection((srv.host, srv.port), scaled(10))
        s.sendall(request)
        return read_to_end(s)

    def test_strict_framing_is_400(self):
        srv = self.serve_edge()
        auth = ("Authorization: Bearer %s\r\n"
                % self.tokens["DMS01"]).encode()
        body = json.dumps(self.dump(self.win)).encode()
        cases = [
            ("Content-Length with chunked",
             b"POST /v1/journal HTTP/1.1\r\nHost: x\r\n" + auth +
             b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n"
             % len(body) + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n",
             "Content-Length together with Transfer-Encoding"),
            ("two Content-Length",
             b"POST /v1/journal HTTP/1.1\r\nHost: x\r\n" + auth +
             b"Content-Length: %d\r\nContent-Length: %d\r\n\r\n"
             % (len(body), len(body) + 1) + body + b" ",
             "two different Content-Length headers"),
            ("%00 in the path",
             b"GET /v1/status%00.json HTTP/1.1\r\nHost: x\r\n" + auth +
             b"\r\n", "%00"),
            ("%00 in the arguments",
             b"GET /healthz?x=%00 HTTP/1.1\r\nHost: x\r\n\r\n", "%00"),
            ("unknown Transfer-Encoding",
             b"POST /v1/journal HTTP/1.1\r\nHost: x\r\n" + auth +
             b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
             None),
        ]
        for what, req, reason in cases:
            ans = self.raw(srv, req).decode("utf-8", "replace")
            self.assertRegex(ans, r"^HTTP/1\.1 400 ", what)
            if reason is not None:
                self.assertIn(reason, ans, what)
            self.note("%s: %s" % (what, re.sub(r"\s+", " ",
                                              ans.split("\r\n\r\n")[-1])))
        self.assertEqual(self.counts()[0], 0)

    def test_a_burst_of_connections_is_queued_not_dropped(self):
        """More connections at once than the server accepts in the moment
        (here: none, it is stopped) wait in the kernel's queue: each is
        made at once, none has its SYN dropped and tried again a second
        later (what a queue of 128 did to 200 producers' phones and 20
        windows), and each is answered once the server goes on."""
        n = 250     # over the old queue of 128, under --max-connections
        srv = self.serve(["--max-per-address", str(n), "--rate-address",
                          "0"])
        socks, pending = [], set()
        os.kill(srv.proc.pid, signal.SIGSTOP)
        try:
            for _ in range(n):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                socks.append(s)
                s.setblocking(False)
                s.connect_ex((srv.host, srv.port))
                pending.add(s)
            # A dropped SYN is not tried again within a second, and while
            # the server is stopped a full queue stays full: what is not
            # made by then is not made.
            deadline = time.monotonic() + 0.9
            poll = select.poll()
            by_fd = {s.fileno(): s for s in socks}
            for s in socks:
                poll.register(s, select.POLLOUT)
            while pending and time.monotonic() < deadline:
                for fd, _ in poll.poll(50):
                    s = by_fd[fd]
                    if s in pending:
                        self.assertEqual(s.getsockopt(socket.SOL_SOCKET,
                                                      socket.SO_ERROR), 0)
                        pending.discard(s)
                        poll.unregister(s)
            made = n - len(pending)
            for s in socks:
                if s not in pending:
                    s.setblocking(True)
                    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
                              b"Connection: close\r\n\r\n")
        finally:
            os.kill(srv.proc.pid, signal.SIGCONT)
        self.assertEqual(made, n, "%d of %d connections made while the "
                         "server took none" % (made, n))
        answered = 0
        for s in socks:
            s.settimeout(scaled(20))
            data = read_to_end(s)
            self.assertRegex(data.decode("latin-1"), r"^HTTP/1\.1 200 ")
            answered += 1
        self.note("%d connections made at once while the server was "
                  "stopped; %d answered 200 once it went on"
                  % (made, answered))

    @unittest.skipIf(h.PG, "a file's mode: SQLite only")
    def test_store_file_is_made_0600(self):
        os.chmod(self.cdb, 0o644)
        self.assertEqual(stat.S_IMODE(os.stat(self.cdb).st_mode), 0o644)
        self.serve_edge()
        for suffix in ("", "-wal", "-shm"):
            p = self.cdb + suffix
            if os.path.exists(p):
                self.assertEqual(stat.S_IMODE(os.stat(p).st_mode), 0o600, p)
        self.note("a 0644 store file is 0600 once serve started")


if __name__ == "__main__":
    ph.main()
