"""Live updates inside the API process: the console's queue, a ticket's new turns, and a
citizen's handoff state, pushed to WebSocket subscribers as they happen.

In-process on purpose: the API is one process (uvicorn, one worker), which keeps the push
path a queue hop instead of a broker round trip. Running several API workers would need a
shared bus (PostgreSQL LISTEN/NOTIFY or Redis pub/sub) behind the same two methods.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

log = logging.getLogger(__name__)

QUEUE_TOPIC = "queue"


def ticket_topic(ticket_id: str) -> str:
    return f"ticket:{ticket_id}"


def conversation_topic(conversation_id: str) -> str:
    return f"conv:{conversation_id}"


class Subscription:
    """Events arrive JSON-encoded once per publish, however many consoles listen."""

    def __init__(self, hub: Hub, topics: set[str], maxsize: int = 1000) -> None:
        self.hub, self.topics = hub, topics
        self.queue: asyncio.Queue[str] = asyncio.Queue(maxsize)
        self.overflowed = False

    def put(self, event: str) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            # A stalled client: drop its backlog and tell it to reload its view.
            self.overflowed = True
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait('{"type": "resync"}')

    def add(self, topic: str) -> None:
        self.hub._index(self, topic)

    async def __aiter__(self) -> AsyncIterator[str]:
        while True:
            yield await self.queue.get()

    def close(self) -> None:
        self.hub._remove(self)


class Hub:
    def __init__(self) -> None:
        self._subs: dict[str, set[Subscription]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None
        # Counsellors with a console open, for wait estimates.
        self.online: dict[str, int] = defaultdict(int)

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def subscribe(self, *topics: str) -> Subscription:
        sub = Subscription(self, set())
        for topic in topics:
            self._index(sub, topic)
        return sub

    def _index(self, sub: Subscription, topic: str) -> None:
        sub.topics.add(topic)
        self._subs[topic].add(sub)

    def _remove(self, sub: Subscription) -> None:
        for topic in sub.topics:
            self._subs[topic].discard(sub)
            if not self._subs[topic]:
                del self._subs[topic]

    def publish(self, topic: str, event: dict[str, Any]) -> None:
        """Safe to call from the event loop or from a worker thread (sync routes)."""
        encoded = json.dumps({**event, "topic": topic, "sent_at": time.time()}, ensure_ascii=False)
        loop = self._loop
        if loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._deliver(topic, encoded)
        else:
            loop.call_soon_threadsafe(self._deliver, topic, encoded)

    def _deliver(self, topic: str, event: str) -> None:
        for sub in list(self._subs.get(topic, ())):
            sub.put(event)

    def has_subscribers(self, topic: str) -> bool:
        return bool(self._subs.get(topic))

    def has_subscribers_with_prefix(self, prefix: str) -> bool:
        return any(topic.startswith(prefix) for topic in list(self._subs))

    def counsellors_online(self) -> int:
        return sum(1 for n in self.online.values() if n > 0)
