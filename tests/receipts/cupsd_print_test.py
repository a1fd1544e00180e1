#!/usr/bin/env python3
"""Print receipts through a real, private cupsd and check what arrives.

usage: cupsd_print_test.py RECEIPT-RENDER RECEIPT-PRINT SRCDIR

The cupsd recipe is the one in shared/TESTING.md: a temporary ServerRoot,
`Listen $B/sock` (no TCP port), `User lp`, every parent reachable by lp,
CUPS_SERVER=$B/sock. The queue is raw, `socket://127.0.0.1:PORT`, where
PORT belongs to a listener this script bound on port 0, so the bytes the
"printer" receives can be compared with what receipt-render produced.

Faults (print_submit and print_job_state in receipts/print.c): a disabled
queue accepts and holds the job, then prints it once enabled; a rejecting
queue refuses with a message; a killed cupsd gives a clear error in under
3 seconds; an unknown destination is an error.

Exit 77 (ctest SKIP_RETURN_CODE) only when cupsd is not installed.
"""
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from cupsharness import find, Listener, PrivateCups  # noqa: E402
from testtime import scaled  # noqa: E402

RENDER, PRINT, SRCDIR = sys.argv[1:4]

SPEC = """text center,bold,double SALES WINDOW 3
text center Damascus
sep
row - Olive oil soap (Khoury family) 2 x 1,500 | 3,000
row - زيت زيتون بلدي (أم محمد) | 9,000
sep
row bold TOTAL | 12,000 SYP
qr R1042:9b1c6f0e-7d2a-4c55-a0b1-2f6e3c9d8a71
feed 3
cut
"""


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)
    print(f"ok: {what}")


def main():
    cupsd = find("cupsd")
    if cupsd is None:
        print("SKIP: cupsd is not installed (Debian package cups)")
        return 77
    tools = {n: find(n) for n in ("lpadmin", "lpstat", "cupsenable",
                                  "cupsdisable", "cupsaccept", "cupsreject")}
    missing = [n for n, p in tools.items() if p is None]
    if missing:
        raise Failure(f"cups client tools missing: {missing} "
                      "(Debian: cups-client, cups-bsd)")

    cups = PrivateCups()
    base, sock, env = cups.base, cups.sock, cups.env
    env["HOME"] = base

    def run(*args, timeout=20):
        return subprocess.run(args, env=env, capture_output=True,
                              timeout=scaled(timeout))

    listener = Listener()
    try:
        try:
            cups.start()
        except RuntimeError:
            raise Failure("cupsd did not start: " + open(
                f"{base}/log/error_log", errors="replace").read()[-2000:]
                if os.path.exists(f"{base}/log/error_log") else "")
        proc = cups.proc
        r = run(tools["lpadmin"], "-p", "receipt", "-E", "-v",
                f"socket://127.0.0.1:{listener.port}", "-m", "raw")
        check(r.returncode == 0, "raw queue created: " +
              r.stderr.decode(errors="replace").strip())

        spec = os.path.join(base, "receipt.spec")
        with open(spec, "w") as f:
            f.write(SPEC)

        def render(fmt):
            out = os.path.join(base, f"receipt.{fmt}")
            with open(spec, "rb") as i, open(out, "wb") as o:
                r = subprocess.run([RENDER, fmt, "576"], stdin=i, stdout=o,
                                   stderr=subprocess.PIPE, env=env)
            if r.returncode != 0:
                raise Failure(f"render {fmt}: {r.stderr.decode()}")
            with open(out, "rb") as f:
                return out, f.read()

        def submit(dest, fmt, path):
            t0 = time.monotonic()
            r = run(PRINT, "submit", dest, fmt, path)
            return r, time.monotonic() - t0

        def state(job):
            r = run(PRINT, "state", str(job))
            return r.stdout.decode().strip() if r.returncode == 0 else None

        def wait_state(job, want, timeout=20):
            deadline = time.monotonic() + scaled(timeout)
            while time.monotonic() < deadline:
                s = state(job)
                if s in want:
                    return s
                time.sleep(0.1)
            return state(job)

        # 1. The bytes that arrive are the rendered ESC/POS, unchanged.
        path, escpos = render("escpos")
        r, took = submit("receipt", "escpos", path)
        check(r.returncode == 0, "escpos job accepted: " +
              r.stderr.decode(errors="replace").strip())
        job = int(r.stdout)
        print(f"figure: submit to local cupsd took {took * 1000:.1f} ms "
              "(receipt-print process, connect to finish)")
        check(listener.wait(1, 20), "printer got a connection")
        check(listener.jobs[0] == escpos,
              f"printer got exactly the {len(escpos)} ESC/POS bytes")
        check(escpos.startswith(b"\x1b@") and b"\x1dv0\x00" in escpos,
              "the stream has ESC @ and a GS v 0 image (Arabic row)")
        check(wait_state(job, ("completed",)) == "completed",
              f"job {job} completed")

        # 2. The raster renderer and PDF go through unchanged too.
        path, raster = render("escpos-raster")
        r, _ = submit("receipt", "escpos-raster", path)
        check(r.returncode == 0, "escpos-raster job accepted")
        check(listener.wait(2, 20) and listener.jobs[1] == raster,
              f"printer got exactly the {len(raster)} raster bytes")
        path, pdf = render("pdf")
        r, _ = submit("receipt", "pdf", path)
        check(r.returncode == 0, "pdf job accepted (application/pdf)")
        check(listener.wait(3, 20) and listener.jobs[2] == pdf,
              f"raw queue passed the {len(pdf)} PDF bytes unchanged")
        if find("pdftotext"):
            t = subprocess.run([find("pdftotext"), path, "-"],
                               capture_output=True).stdout.decode()
            check("SALES WINDOW 3" in t and "TOTAL" in t,
                  "pdftotext finds the receipt text in the PDF")
        wait_state(int(r.stdout), ("completed",))

        # 3. Disabled queue: accepted, held, printed after cupsenable.
        run(tools["cupsdisable"], "receipt")
        path, escpos = render("escpos")
        r, _ = submit("receipt", "escpos", path)
        check(r.returncode == 0, "disabled queue still accepts the job")
        job = int(r.stdout)
        s = wait_state(job, ("pending", "stopped"))
        check(s in ("pending", "stopped"),
              f"job on a disabled queue is held ({s})")
        check(len(listener.jobs) == 3, "nothing printed while disabled")
        run(tools["cupsenable"], "receipt")
        check(listener.wait(4, 20) and listener.jobs[3] == escpos,
              "the held job prints once the queue is enabled")
        check(wait_state(job, ("completed",)) == "completed",
              f"job {job} completed after recovery")

        # 4. Rejecting queue: an error with the reason, quickly.
        run(tools["cupsreject"], "receipt")
        r, took = submit("receipt", "escpos", path)
        err = r.stderr.decode(errors="replace").strip()
        check(r.returncode != 0 and "not accepting" in err.lower(),
              f"rejecting queue is an error: {err}")
        run(tools["cupsaccept"], "receipt")

        # 5. Unknown destination.
        r, _ = submit("no-such-printer", "escpos", path)
        err = r.stderr.decode(errors="replace").strip()
        check(r.returncode != 0 and "no-such-printer" in err,
              f"unknown destination is an error: {err}")

        # 6. A wedged server (accepts, never answers): the I/O timeout.
        silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        saved = env["CUPS_SERVER"]
        env["CUPS_SERVER"] = f"127.0.0.1:{silent.getsockname()[1]}"
        r, took = submit("receipt", "escpos", path)
        env["CUPS_SERVER"] = saved
        silent.close()
        err = r.stderr.decode(errors="replace").strip()
        # PRINT_TIMEOUT_MS (2 s), and slack for starting receipt-print.
        check(r.returncode != 0 and took < 2.0 + scaled(1.0),
              f"a cupsd that never answers is an error in {took:.2f} s: "
              f"{err}")

        # 7. cupsd killed: a clear error, in under 3 seconds.
        proc.send_signal(signal.SIGKILL)
        proc.wait(scaled(10))
        r, took = submit("receipt", "escpos", path)
        err = r.stderr.decode(errors="replace").strip()
        check(r.returncode != 0 and "CUPS" in err,
              f"dead cupsd is an error: {err}")
        bound = 2.0 + scaled(1.0)
        check(took < bound, f"... reported in {took:.2f} s (< {bound:g} s)")
        t0 = time.monotonic()
        check(state(job) is None and time.monotonic() - t0 < bound,
              f"job state on a dead cupsd is an error, in < {bound:g} s")
        # 8. Also when the socket file is gone entirely.
        os.unlink(sock)
        r, took = submit("receipt", "escpos", path)
        check(r.returncode != 0 and took < bound,
              f"missing cupsd socket is an error in {took:.2f} s")
        return 0
    finally:
        listener.close()
        if os.environ.get("RECEIPTS_KEEP_CUPSD"):
            cups.stop()
            print(f"kept {base}")
        else:
            cups.cleanup()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"FAIL: {e}")
        sys.exit(1)
