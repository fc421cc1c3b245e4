"""Action-server settings, from the same MINWON_* environment as the rest of minwon."""

from __future__ import annotations

import os
from pathlib import Path

API_URL = os.environ.get("MINWON_API_URL", "http://127.0.0.1:8000").rstrip("/")
API_TIMEOUT_S = float(os.environ.get("MINWON_API_TIMEOUT_S", "3"))
# Tickets that could not be delivered wait here; the API ingests them when it starts.
SPOOL_DIR = Path(os.environ.get("MINWON_SPOOL_DIR", Path(__file__).resolve().parent.parent / "var" / "spool"))
CITY_CALL_CENTRE = os.environ.get("MINWON_CALL_CENTRE_PHONE", "02-0000-0120")
