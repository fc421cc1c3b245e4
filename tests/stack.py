"""Moved to devtools/stack.py (the benchmarks use it too); kept so tests import it as before."""

from devtools.stack import *  # noqa: F403
