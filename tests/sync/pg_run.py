"""Run a program with a private PostgreSQL cluster (pgcluster.py) started
for it: POS_TEST_PG_HOST (its socket directory) and POS_TEST_PG_PORT in
the program's environment, the cluster stopped by its PID afterwards. For
the central store's unit tests on PostgreSQL (pgtest.h).

usage: pg_run.py PROGRAM [ARGS...]
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
import pgcluster  # noqa: E402


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    c = pgcluster.Cluster()
    try:
        env = dict(os.environ, POS_TEST_PG_HOST=c.dir,
                   POS_TEST_PG_PORT=str(c.port))
        return subprocess.run(sys.argv[1:], env=env).returncode
    finally:
        c.destroy()


if __name__ == "__main__":
    sys.exit(main())
