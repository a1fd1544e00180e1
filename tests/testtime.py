"""Deadlines of the test suite, scaled for slow builds and busy machines.

Every deadline a test or harness waits on is written for a plain build on
a quiet machine and goes through scaled(): it is multiplied by
POS_TEST_TIMEOUT_SCALE, which CMake sets for every ctest entry (1 for a
plain build, more under sanitizers and valgrind; tests/CMakeLists.txt).
The same factor multiplies the ctest TIMEOUTs, so a harness deadline stays
inside its test's TIMEOUT.

What is scaled: how long a test waits for something, and the slack it
allows over a bound it checks. What is not: a deadline, delay or timeout
of the program under test that the test is about (POS_SYNC_DEADLINE of a
fault run, a busy timeout, a delay a fault proxy adds on purpose).

Waits poll a condition with wait_until() instead of sleeping a guessed
time. Run by hand, without the variable, the factor is 1. For a slower
machine than that: cmake -DPOS_TEST_TIMEOUT_SCALE=8 (TIMEOUTs and waits
alike), or POS_TEST_TIMEOUT_SCALE=8 for a harness run by hand.
"""

import os
import time


def _scale():
    try:
        v = float(os.environ.get("POS_TEST_TIMEOUT_SCALE", "1"))
    except ValueError:
        return 1.0
    return v if v >= 1.0 else 1.0


SCALE = _scale()


def scaled(seconds):
    """A deadline of `seconds` on a plain build, for this build."""
    return seconds * SCALE


def wait_until(pred, timeout, interval=0.02):
    """Poll pred() until it returns something true; return that value, or
    the last (false) value once scaled(timeout) seconds have passed."""
    deadline = time.monotonic() + scaled(timeout)
    while True:
        v = pred()
        if v or time.monotonic() > deadline:
            return v
        time.sleep(interval)
