"""The Debian packages, built and installed the way a branch installs them.

Builds pos and pos-central with dpkg-buildpackage from a copy of the source
tree, checks them with lintian (no errors), and installs both with dpkg -i
into a fresh root: a copy-on-write overlay of this machine's own Debian
(the lower layer, never written) with an empty upper layer, entered with
chroot in a private mount namespace. The maintainer scripts run there for
real (the system user, /var/lib/pos-central); nothing reaches the machine
itself, and no network is needed, which debootstrap would need. There:

- `pos --version`, `pos-central --version`, and a demo day with the
  installed pos and the packaged example catalogue;
- `pos-central init` and `branch add` as the pos-central user with no
  --db and no --config: the packaged /etc/pos/central.conf and its store
  /var/lib/pos-central/central.db;
- the server started from the ExecStart line of the installed unit, as
  its user, with --listen 127.0.0.1:0 added (an override, as a drop-in's
  second ExecStart= would be); it reports READY=1 on NOTIFY_SOCKET;
- the day pushed with `pos sync` and read back: the central producers
  report for the day has the window's net;
- SIGTERM: STOPPING=1 and exit 0;
- `systemd-analyze verify` on the three units and `systemd-analyze
  security` on pos-central.service (exposure at most 3.0);
- `man --warnings -l` on the four installed manual pages: no warning.

usage: python3 test_package.py SOURCE_DIR WORK_DIR
Needs root (mount namespace, overlayfs, chroot); exits 77 (skipped)
without it.
"""

import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testtime import scaled  # noqa: E402

SKIP = 77
DAY_NOW = None


def run(argv, ok=True, **kw):
    """Run argv; its (rc, stdout, stderr) as text. ok: it must exit 0."""
    p = subprocess.run(argv, capture_output=True, text=True, **kw)
    if ok and p.returncode != 0:
        sys.exit("FAIL: %s: exit %d\n%s\n%s" % (" ".join(argv), p.returncode,
                                                p.stdout[-3000:],
                                                p.stderr[-3000:]))
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)
    print("ok:", what.splitlines()[0])


def build(src, work):
    """The .debs and the lintian summary, from a copy of the tree."""
    tree = os.path.join(work, "src")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    shutil.copytree(src, tree, ignore=shutil.ignore_patterns(
        ".git", "build*", "obj-*", "*.deb", "*.db", "*.db-*"),
        symlinks=True)
    env = dict(os.environ, DEB_BUILD_OPTIONS="nocheck parallel=%d" %
               (os.cpu_count() or 1))
    run(["dpkg-buildpackage", "-us", "-uc", "-b"], cwd=tree, env=env)
    debs = {}
    for name in ("pos", "pos-central", "pos-printer-app"):
        found = glob.glob(os.path.join(work, name + "_*.deb"))
        check(len(found) == 1, "dpkg-buildpackage built %s: %s"
              % (name, found))
        debs[name] = found[0]
    _, out, _ = run(["dpkg-deb", "-f", debs["pos"], "Depends"])
    check("libncursesw6" in out and "cups" in out and "fonts-noto-core" in out,
          "pos Depends: from dpkg-shlibdeps, fonts and CUPS: " + out.strip())
    _, out, _ = run(["dpkg-deb", "-f", debs["pos-central"], "Depends"])
    check("libmicrohttpd12" in out and "libsystemd0" in out,
          "pos-central Depends: from dpkg-shlibdeps: " + out.strip())
    _, out, _ = run(["dpkg-deb", "-f", debs["pos-printer-app"], "Depends"])
    check("libpappl1" in out and "cups" in out,
          "pos-printer-app Depends: from dpkg-shlibdeps, CUPS: " + out.strip())
    # No path of this build in any installed file.
    x = os.path.join(work, "x")
    for deb in debs.values():
        run(["dpkg-deb", "-x", deb, x])
    rc, out, _ = run(["grep", "-rl", "-F", work, x], ok=False)
    check(rc == 1, "no build-tree path in the packaged files: " + out)
    changes = glob.glob(os.path.join(work, "*.changes"))
    rc, out, err = run(["lintian", "--allow-root", "--no-tag-display-limit"]
                       + changes, ok=False)
    tags = [ln for ln in out.splitlines() if re.match(r"^[EWIPXO]: ", ln)]
    print("lintian: %d tags" % len(tags))
    for t in tags:
        print("  " + t)
    check(rc in (0, 1) and not any(t.startswith("E: ") for t in tags),
          "lintian: no errors\n" + out + err)
    return debs


def enter_root(work, debs):
    """Mount the overlay root and chroot into it (we are in our own mount
    namespace). The .debs are copied to /tmp/debs there."""
    top = os.path.join(work, "root")
    os.makedirs(top, exist_ok=True)
    run(["mount", "-t", "tmpfs", "tmpfs", top])
    for d in ("upper", "work", "merged"):
        os.makedirs(os.path.join(top, d))
    merged = os.path.join(top, "merged")
    run(["mount", "-t", "overlay", "overlay", "-o",
         "lowerdir=/,upperdir=%s/upper,workdir=%s/work" % (top, top), merged])
    run(["mount", "-t", "proc", "proc", os.path.join(merged, "proc")])
    run(["mount", "--rbind", "/dev", os.path.join(merged, "dev")])
    run(["mount", "-t", "tmpfs", "tmpfs", os.path.join(merged, "tmp")])
    run(["mount", "-t", "tmpfs", "tmpfs", os.path.join(merged, "run")])
    os.makedirs(os.path.join(merged, "tmp/debs"))
    inside = {}
    for name, deb in debs.items():
        shutil.copy(deb, os.path.join(merged, "tmp/debs"))
        inside[name] = "/tmp/debs/" + os.path.basename(deb)
    os.chroot(merged)
    os.chdir("/")
    return inside


def install(debs):
    # No service is started by the maintainer scripts here.
    with open("/usr/sbin/policy-rc.d", "w") as f:
        f.write("#!/bin/sh\nexit 101\n")
    os.chmod("/usr/sbin/policy-rc.d", 0o755)
    for p in ("/etc/pos/central.conf", "/var/lib/pos-central"):
        check(not os.path.exists(p), "the fresh root has no " + p)
    run(["dpkg", "-i", debs["pos"], debs["pos-central"],
         debs["pos-printer-app"]],
        env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    _, out, _ = run(["id", "pos-central"])
    check("pos-central" in out, "the system user exists: " + out.strip())
    st = os.stat("/var/lib/pos-central")
    _, owner, _ = run(["stat", "-c", "%U %a", "/var/lib/pos-central"])
    check(owner.split() == ["pos-central", "750"],
          "/var/lib/pos-central is pos-central's, mode 0750: " + owner)
    del st


def versions():
    _, out, _ = run(["pos", "--version"])
    check(re.match(r"pos \d+\.\d+\.\d+\nwindow store schema \d+\n$", out),
          "pos --version: " + out.replace("\n", "; "))
    _, out, _ = run(["pos-central", "--version"])
    check(re.match(r"pos-central \d+\.\d+\.\d+\ncentral store schema \d+\n"
                   r"central store schema on PostgreSQL \d+\n$", out), "pos-central --version: " + out.replace("\n", "; "))


    # Its "drivers" sub-command would start a server on PAPPL's default
    # port: --version and --help start none.
    _, out, _ = run(["pos-printer-app", "--version"])
    check(re.match(r"\d+\.\d+\.\d+\n$", out),
          "pos-printer-app --version: " + out.strip())
    _, out, _ = run(["pos-printer-app", "--help"])
    check("Usage: pos-printer-app" in out, "pos-printer-app --help")


def demo_day(env):
    """The demo day of .ci/demo with the installed pos. Returns the
    window's producers report of the day."""
    ex = "/usr/share/doc/pos/examples"

    def pos(*args, stdin=None):
        return run(["pos"] + list(args), env=env, input=stdin)[1]

    pos("init", "--branch", "DMS01", "--terminal", "1", "--name", "دمشق")
    pos("import", "producers", ex + "/producers.csv")
    pos("import", "products", ex + "/products.csv")
    pos("user", "add", "rima", "--role", "attendant", stdin="1234\n")
    pos("user", "add", "samir", "--role", "supervisor", stdin="4321\n")
    pos("day", "open", "--user", "rima", "--float", "100000")
    pos("sell", "--user", "rima", "JAM-APR", "OLIVE-OIL*0.750",
        "SOAP-LAUREL")
    pos("sell", "--user", "rima", "6291001000027", "BASKET", "--pay",
        "card:20000", "--pay", "cash:20000")
    r = json.loads(pos("--json", "sell", "--user", "rima", "MOSAIC-BOX"))
    pos("refund", r["receipt"], "MOSAIC-BOX", "--user", "samir",
        "--pin-stdin", "--reason", "gift returned", stdin="4321\n")
    pos("payout", "FAM-HALABI", "10000", "--user", "samir", "--pin-stdin",
        stdin="4321\n")
    rep = json.loads(pos("--json", "report", "producers"))
    z = json.loads(pos("--json", "report", "x"))
    check(rep["producers"] and z["sales_count"] == 3,
          "demo day with the installed pos: 3 sales, net %s" % rep["net"])
    _, out, _ = run(["pos", "verify"], env=env)
    check("ok" in out, "pos verify on the demo store")
    return rep


def as_central(*args):
    return run(["runuser", "-u", "pos-central", "--", "pos-central"]
               + list(args), env=dict(os.environ, HOME="/var/lib/pos-central"))


def exec_start():
    """The ExecStart= line of the installed unit, as argv."""
    with open("/lib/systemd/system/pos-central.service") as f:
        lines = [ln.split("=", 1)[1].split() for ln in f
                 if ln.startswith("ExecStart=")]
    check(len(lines) == 1 and lines[0][0] == "/usr/bin/pos-central",
          "the unit has one ExecStart=: %s" % lines)
    return lines[0]


def serve_and_push(env, rep):
    _, out, _ = as_central("init")
    check("/var/lib/pos-central/central.db" in out,
          "pos-central init with the default paths: " + out.strip())
    _, token, _ = as_central("branch", "add", "DMS01")
    token = token.strip()
    with open("/tmp/token", "w") as f:
        f.write(token + "\n")
    _, out, _ = run(["stat", "-c", "%U %a",
                     "/var/lib/pos-central/central.db"])
    check(out.split() == ["pos-central", "600"],
          "the store is pos-central's alone: " + out.strip())

    sock_path = "/run/notify.sock"
    ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ns.bind(sock_path)
    os.chmod(sock_path, 0o666)
    ns.settimeout(scaled(30))
    # setpriv execs (runuser would stay between us and the server).
    argv = ["setpriv", "--reuid=pos-central", "--regid=pos-central",
            "--init-groups", "--"] + exec_start() + [
        "--listen", "127.0.0.1:0"]
    err = open("/tmp/serve.err", "w")
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err,
                            env=dict(os.environ, NOTIFY_SOCKET=sock_path))
    try:
        msg = ns.recv(4096).decode()
        check(msg.startswith("READY=1"), "sd_notify: " + msg.replace("\n",
                                                                    "; "))
        line = proc.stdout.readline().decode()
        check(line.startswith("listening on 127.0.0.1:"), "serving: " + line)
        url = "http://" + line.split()[-1]
        e = dict(env, POS_SYNC_URL=url, POS_SYNC_TOKEN_FILE="/tmp/token")
        _, out, _ = run(["pos", "--json", "sync"], env=e)
        check(json.loads(out).get("sent", 0) > 0, "pos sync pushed the day: "
              + out.replace("\n", " ")[:200])
        _, out, _ = as_central("--json", "report", "producers", "--date",
                               rep["date"])
        central = json.loads(out)
        check(central["net"] == rep["net"],
              "the central producers report has the window's net: %s == %s"
              % (central["net"], rep["net"]))
        _, out, _ = as_central("verify")
        check(out.strip().endswith("ok"), "pos-central verify")
        proc.send_signal(signal.SIGTERM)
        msg = ns.recv(4096).decode()
        check(msg.startswith("STOPPING=1"), "SIGTERM: " + msg.split("\n")[0])
        rc = proc.wait(timeout=scaled(30))
        check(rc == 0, "the server exits 0 on SIGTERM: %d" % rc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        err.close()
    with open("/tmp/serve.err") as f:
        log = f.read()
    print(log)
    check(re.search(r"info: batch branch=DMS01 terminal=1 entries=\d+ "
                    r"result=200 ok ms=\d+", log),
          "one log line per batch: branch, terminal, entries, result, ms")
    check(re.search(r"POST /v1/journal 200 ms=\d+ branch=DMS01", log),
          "one log line per request")
    check(token not in log, "the token is not in the log")


def units():
    for u in ("pos-central.service", "pos-sync@.timer",
              "pos-printer-app.service"):
        check(os.path.exists("/lib/systemd/system/" + u), "installed: " + u)
    # A template is verified as an instance.
    os.makedirs("/tmp/units", exist_ok=True)
    for src, dst in (("pos-sync@.service", "pos-sync@root.service"),
                     ("pos-sync@.timer", "pos-sync@root.timer")):
        shutil.copy("/lib/systemd/system/" + src, "/tmp/units/" + dst)
    for u in ("/lib/systemd/system/pos-central.service",
              "/lib/systemd/system/pos-printer-app.service",
              "/tmp/units/pos-sync@root.service",
              "/tmp/units/pos-sync@root.timer"):
        rc, out, err = run(["systemd-analyze", "verify", u], ok=False)
        bad = [ln for ln in (out + err).splitlines()
               if os.path.basename(u) in ln]
        check(rc == 0 and not bad, "systemd-analyze verify %s\n%s%s"
              % (os.path.basename(u), out, err))
    _, out, err = run(["systemd-analyze", "security", "--offline=true",
                       "--no-pager",
                       "/lib/systemd/system/pos-central.service"], ok=False)
    m = re.search(r"Overall exposure level for pos-central.service: "
                  r"([0-9.]+)", out + err)
    check(m and float(m.group(1)) <= 3.0,
          "systemd-analyze security pos-central.service: exposure %s"
          % (m.group(1) if m else "?"))


def manuals():
    for page in ("/usr/share/man/man1/pos.1.gz",
                 "/usr/share/man/man5/pos.conf.5.gz",
                 "/usr/share/man/man8/pos-central.8.gz",
                 "/usr/share/man/man5/central.conf.5.gz",
                 "/usr/share/man/man8/pos-printer-app.8.gz"):
        rc, out, err = run(["man", "--warnings", "-l", page], ok=False,
                           env=dict(os.environ, MANWIDTH="80",
                                    LC_ALL="C.UTF-8"))
        check(rc == 0 and err.strip() == "" and
              any(h in out for h in ("KEYS", "COMMANDS", "DRIVERS")),
              "man -l %s renders without warnings\n%s" % (page, err))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--inside":
        work = sys.argv[2]
        debs = json.loads(sys.argv[3])
        debs = enter_root(work, debs)
        install(debs)
        versions()
        env = dict(os.environ, HOME="/root", POS_STORE_PATH="/root/window.db",
                   LANG="C.UTF-8", LC_ALL="C.UTF-8")
        rep = demo_day(env)
        serve_and_push(env, rep)
        units()
        manuals()
        return 0
    src, work = sys.argv[1], sys.argv[2]
    if os.geteuid() != 0:
        print("skipped: needs root (mount namespace, overlayfs, chroot)")
        return SKIP
    for tool in ("dpkg-buildpackage", "dh", "lintian", "systemd-analyze",
                 "unshare", "man"):
        if shutil.which(tool) is None:
            print("skipped: %s is not installed" % tool)
            return SKIP
    t0 = time.monotonic()
    debs = build(os.path.abspath(src), os.path.abspath(work))
    print("built in %.0f s" % (time.monotonic() - t0))
    p = subprocess.run(["unshare", "--mount", "--propagation", "private",
                        sys.executable, os.path.abspath(__file__), "--inside",
                        os.path.abspath(work), json.dumps(debs)])
    if p.returncode == 0:
        shutil.rmtree(work, ignore_errors=True)
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
