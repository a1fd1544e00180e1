"""The layers of ../shared DESIGN, checked from the code itself.

Two graphs are read and both must follow the one table below:
- the #include "..." lines of every source file under config/, receipts/,
  sync/ and pos/: a folder may include headers only of the folders its
  row allows, every header name is unique across the tree (sources include
  headers by bare name), and no header includes itself through others;
- the link graph CMake itself writes (cmake --graphviz on a fresh
  configure): a target links only targets of the folders its folder's row
  allows, every project target is placed in a folder, and no two targets
  reach each other.

usage: python3 check_layers.py SOURCE_DIR
"""

import os
import re
import subprocess
import sys
import tempfile

# folder -> the folders it may use. A folder not listed may not hold code.
LAYERS = {
    "config": [],
    "receipts": ["config"],
    "sync/ledger": ["config"],
    "sync/client": [],
    "sync/central": ["sync/ledger", "config"],
    "pos/store": ["sync/ledger", "config"],
    "pos/domain": ["pos/store", "sync/ledger", "config"],
    "pos/queue": ["pos/domain", "pos/store", "receipts", "sync/client",
                  "sync/ledger", "config"],
    "pos/cli": ["pos/queue", "pos/domain", "pos/store", "sync/ledger",
                "config"],
    "pos/tui": ["pos/queue", "pos/domain", "pos/store", "sync/ledger",
                "config"],
    "pos": ["pos/cli", "pos/tui"],
}

# CMake target -> its folder.
TARGETS = {
    "posconfig": "config",
    "posdoc": "receipts", "posreceipts": "receipts", "posprint": "receipts",
    "pos-printer-app": "receipts",
    "possync": "sync/ledger",
    "possyncnet": "sync/client", "possyncapi": "sync/client",
    "poscentral": "sync/central", "pos-central": "sync/central",
    "posstore": "pos/store",
    "posdomain": "pos/domain",
    "posqueue": "pos/queue",
    "poscli": "pos/cli",
    "postui": "pos/tui",
    "pos": "pos",
}

# Modules the window loads with dlopen(): `pos` depends on them being
# built, and links nothing of them.
MODULES = {"posprint", "possyncnet"}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(src):
    for top in ("config", "receipts", "sync", "pos"):
        for d, dirs, files in os.walk(os.path.join(src, top)):
            for f in files:
                if f.endswith((".c", ".h")):
                    yield os.path.relpath(d, src), f


def check_includes(src, errors):
    headers = {}
    files = list(sources(src))
    for d, f in files:
        if d not in LAYERS:
            errors.append("%s/%s: folder %s is not a layer" % (d, f, d))
        if f.endswith(".h"):
            if f in headers:
                errors.append("header %s is in both %s and %s" %
                              (f, headers[f], d))
            headers[f] = d
    graph = {}
    for d, f in files:
        text = open(os.path.join(src, d, f), encoding="utf-8").read()
        graph[f] = []
        for inc in INCLUDE.findall(text):
            if inc not in headers:
                errors.append("%s/%s includes %s, which no folder has" %
                              (d, f, inc))
                continue
            to = headers[inc]
            if to != d and to not in LAYERS.get(d, []):
                errors.append("%s/%s includes %s/%s: %s may not use %s" %
                              (d, f, to, inc, d, to))
            graph[f].append(inc)
    cycle = find_cycle(graph)
    if cycle:
        errors.append("include circle: " + " -> ".join(cycle))
    return len(files)


def check_links(src, errors):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["cmake", "-S", src, "-B", tmp, "-DPOS_TESTS=OFF",
                        "--graphviz=" + os.path.join(tmp, "g.dot")],
                       check=True, stdout=subprocess.DEVNULL)
        dot = open(os.path.join(tmp, "g.dot"), encoding="utf-8").read()
    labels = re.findall(r'\[ label = "([^"]+)"', dot)
    edges = re.findall(r"// (\S+) -> (\S+)", dot)
    graph = {}
    for t in labels:
        if t.startswith("pos") and "::" not in t and t not in TARGETS:
            errors.append("target %s is in no folder (add it to TARGETS)" % t)
    for a, b in edges:
        if a not in TARGETS or b not in TARGETS:
            continue
        graph.setdefault(a, []).append(b)
        fa, fb = TARGETS[a], TARGETS[b]
        if b in MODULES and a == "pos":
            continue
        if fa != fb and fb not in LAYERS[fa]:
            errors.append("target %s (%s) links %s (%s)" % (a, fa, b, fb))
    cycle = find_cycle(graph)
    if cycle:
        errors.append("link circle: " + " -> ".join(cycle))
    return len(edges)


def find_cycle(graph):
    """A list of nodes that closes a circle, or None."""
    state = {}

    def visit(n, path):
        state[n] = 1
        path.append(n)
        for m in graph.get(n, []):
            if state.get(m) == 1:
                return path[path.index(m):] + [m]
            if m not in state:
                c = visit(m, path)
                if c:
                    return c
        path.pop()
        state[n] = 2
        return None

    for n in list(graph):
        if n not in state:
            c = visit(n, [])
            if c:
                return c
    return None


def main():
    src = os.path.abspath(sys.argv[1])
    errors = []
    nfiles = check_includes(src, errors)
    nedges = check_links(src, errors)
    for e in errors:
        print("FAIL:", e)
    if errors:
        sys.exit(1)
    print("ok: %d source files and %d link edges follow the %d layers" %
          (nfiles, nedges, len(LAYERS)))


if __name__ == "__main__":
    main()
