"""Every string the terminal UI marks for translation (_() and N_() in
pos/tui/tui*.c) has an Arabic translation in pos/tui/po/ar.po, and ar.po compiles
with msgfmt --check.

usage: python3 check_po.py SOURCE_DIR
"""

import glob
import os
import subprocess
import sys
import tempfile


def main():
    src = os.path.abspath(sys.argv[1])
    sources = sorted(os.path.basename(p) for p in glob.glob(os.path.join(src, "pos", "tui", "tui*.c")))
    po = os.path.join(src, "pos", "tui", "po", "ar.po")
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "pos.pot")
        subprocess.run(["xgettext", "--from-code=UTF-8", "--language=C",
                        "--keyword=_", "--keyword=N_", "-o", pot] + sources,
                       cwd=os.path.join(src, "pos", "tui"), check=True)
        n = sum(1 for l in open(pot, encoding="utf-8") if l.startswith("msgid ")) - 1
        subprocess.run(["msgfmt", "--check", "-o", os.path.join(tmp, "ar.mo"), po],
                       check=True)
        # Untranslated or fuzzy entries count as missing.
        p = subprocess.run(["msgcmp", po, pot], stderr=subprocess.PIPE)
        if p.returncode != 0:
            sys.stderr.write(p.stderr.decode())
            print("FAIL: ar.po lacks translations of the UI strings above")
            sys.exit(1)
    print("ok: %d UI strings from %s, all translated in ar.po" % (n, ", ".join(sources)))


if __name__ == "__main__":
    main()
