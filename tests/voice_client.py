"""Moved to devtools/voice_client.py (the benchmarks use it too); kept so tests import it as before."""

from devtools.voice_client import *  # noqa: F403
