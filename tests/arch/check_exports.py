"""No function or variable is exported that only its own file uses.

Reads the object files of a build (nm): every global symbol defined in
one of the project's objects under config/, receipts/, sync/ or pos/ must
be referenced by some other object of the build (another source file, a
program, a test). What one file alone uses should be static.

Functions defined inline in a header (their one external definition
sits in a .c) and names the fuzz targets use (tests/fuzz, built only with
clang) count as used.

usage: python3 check_exports.py SOURCE_DIR BUILD_DIR
"""

import glob
import os
import re
import subprocess
import sys

# Looked up by name with dlsym() or called by the C runtime.
ENTRY_POINTS = {"main", "printmod_get", "pushmod_get"}
PROJECT = ("config", "receipts", "sync", "pos")


def objects(src, build):
    """Object files whose source still exists (a build keeps stale ones)."""
    for d, dirs, files in os.walk(build):
        for f in files:
            if not f.endswith(".o"):
                continue
            rel = os.path.relpath(d, build).split(os.sep)
            if "CMakeFiles" not in rel:
                continue
            srcdir = os.path.join(src, *rel[:rel.index("CMakeFiles")])
            if os.path.exists(os.path.join(srcdir, f[:-2])):
                yield os.path.join(d, f)


def nm(args, paths):
    """{object: set of symbols}, from one nm run over all the objects."""
    syms = {p: set() for p in paths}
    if not paths:
        return syms
    out = subprocess.run(["nm", "-A"] + args + paths, check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        path, _, rest = line.rpartition(":")
        parts = rest.split()
        if path in syms and parts:
            syms[path].add(parts[-1])
    return syms


def words(paths):
    found = set()
    for p in paths:
        found.update(re.findall(r"[A-Za-z_]\w*",
                                open(p, encoding="utf-8").read()))
    return found


def inline_functions(src):
    names = set()
    for top in PROJECT:
        for h in glob.glob(os.path.join(src, top, "**", "*.h"),
                           recursive=True):
            text = open(h, encoding="utf-8").read()
            names.update(re.findall(r"\binline\b[^;{(]*?\b(\w+)\s*\(", text))
    return names


def main():
    src = os.path.abspath(sys.argv[1])
    build = os.path.abspath(sys.argv[2])
    exempt = inline_functions(src) | words(
        glob.glob(os.path.join(src, "tests", "fuzz", "*.c")))
    objs = sorted(objects(src, build))
    mine = [o for o in objs
            if os.path.relpath(o, build).split(os.sep)[0] in PROJECT]
    defined = {}
    for o, syms in nm(["-g", "--defined-only"], mine).items():
        for s in syms:
            defined.setdefault(s, []).append(o)
    users = {}
    for o, syms in nm(["-u"], objs).items():
        for s in syms:
            users.setdefault(s, set()).add(o)
    bad = []
    for s, where in sorted(defined.items()):
        if s in ENTRY_POINTS or s in exempt or s.startswith("_"):
            continue
        if not users.get(s, set()) - set(where):
            src_file = os.path.basename(where[0])[:-2]
            bad.append("%s (%s) is exported but only its own file uses it"
                       % (s, src_file))
    for b in bad:
        print("FAIL:", b)
    if bad:
        sys.exit(1)
    print("ok: %d exported symbols in %d objects, each used by another file"
          % (len(defined), len(mine)))


if __name__ == "__main__":
    main()
