"""Moved to devtools/api_server.py (the benchmarks use it too); kept so tests import it as before."""

from devtools.api_server import *  # noqa: F403
