"""Moved to minwon/handoff/views.py (the hub publishes these shapes); kept for importers."""

from minwon.handoff.views import *  # noqa: F403
from minwon.handoff.views import _iso  # noqa: F401
