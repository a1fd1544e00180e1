"""P5 on PostgreSQL: bench_ingest with the central store on a private
PostgreSQL cluster (pgcluster.py, started here, stopped by its PID) and
PostgreSQL's COPY of the same rows into a second database of the same
schema as the baseline. The cluster runs with fsync on, as a real one.

usage: bench_ingest_pg.py BENCH_INGEST POS_CENTRAL [bench_ingest options]
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
import pgcluster  # noqa: E402


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    c = pgcluster.Cluster(durable=True)
    try:
        central = c.uri(c.new_database())
        raw = c.uri(c.new_database())
        p = subprocess.run([sys.argv[1], sys.argv[2]] + sys.argv[3:] +
                           ["--db", central, "--raw-db", raw])
        return p.returncode
    finally:
        c.destroy()


if __name__ == "__main__":
    sys.exit(main())
