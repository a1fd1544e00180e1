"""No program or module we build loads libraries from where it is started.

An empty entry in an ELF RUNPATH or RPATH (CMake pads its build RUNPATH
with them) and a relative entry both make the loader search the current
directory: a library planted where the attendant starts `pos` would be
loaded into it. Every ELF file of the build tree is read with readelf
(binutils), and each entry must be an absolute path or $ORIGIN-based.

usage: python3 check_runpath.py BUILD_DIR
"""

import os
import re
import subprocess
import sys

PATHS = re.compile(r"\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.*)\]")


def elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def main():
    build = sys.argv[1]
    bad, seen = [], 0
    for root, dirs, files in os.walk(build):
        dirs[:] = [d for d in dirs if d != "CMakeFiles"]
        for name in files:
            path = os.path.join(root, name)
            if name.endswith((".o", ".a")) or not os.access(path, os.R_OK) \
                    or os.path.islink(path) or not elf(path):
                continue
            seen += 1
            out = subprocess.run(["readelf", "-d", path], capture_output=True,
                                 text=True).stdout
            for m in PATHS.finditer(out):
                for entry in m.group(1).split(":"):
                    if not entry.startswith(("/", "$ORIGIN")):
                        bad.append(f"{os.path.relpath(path, build)}: RUNPATH "
                                   f"entry {entry!r} ({m.group(1)!r})")
    if seen == 0:
        print("no ELF file found under", build)
        return 1
    for b in bad:
        print(b)
    print(f"{seen} ELF files read, {len(bad)} with a search path that is "
          "empty or relative")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
