"""Moved to devtools/databases.py (the benchmarks use it too); kept so tests import it as before."""

from devtools.databases import *  # noqa: F403
