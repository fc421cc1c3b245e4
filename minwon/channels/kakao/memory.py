"""What the KakaoTalk gateway remembers between a user's requests."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any


class KakaoMemory:
    """Per-user state the gateway keeps between requests (one API process): the labels of
    the buttons last offered, and replies that finished too late to be sent."""

    def __init__(self, max_users: int = 50_000) -> None:
        self.labels: OrderedDict[str, dict[str, str]] = OrderedDict()
        self.late: dict[str, list[dict[str, Any]]] = {}
        self.max = max_users
        self.tasks: set[asyncio.Future[Any]] = set()

    def remember(self, user: str, labels: dict[str, str]) -> None:
        self.labels[user] = labels
        self.labels.move_to_end(user)
        while len(self.labels) > self.max:
            self.labels.popitem(last=False)

    def spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
