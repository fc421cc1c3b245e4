"""Seen-request bookkeeping for channels that retry: the first request claims the key,
a retry finds it and waits for (or reuses) the first one's reply."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import IntegrityError

from minwon.db.models import ChannelRequest, utcnow
from minwon.db.session import session_scope

KEEP = timedelta(hours=6)


def request_key(channel: str, body: bytes) -> str:
    return hashlib.sha256(channel.encode() + b"\0" + body).hexdigest()


def claim(engine: Engine, key: str, channel: str) -> bool:
    """True if this is the first time the request is seen."""
    try:
        with session_scope(engine) as s:
            s.add(ChannelRequest(key=key, channel=channel, status="pending"))
    except IntegrityError:
        return False
    return True


def finish(engine: Engine, key: str, response: dict[str, Any]) -> None:
    with session_scope(engine) as s:
        s.execute(update(ChannelRequest).where(ChannelRequest.key == key).values(status="done", response=response))


def result(engine: Engine, key: str) -> dict[str, Any] | None:
    with session_scope(engine) as s:
        row = s.get(ChannelRequest, key)
        return row.response if row is not None and row.status == "done" else None


def purge(engine: Engine) -> int:
    with session_scope(engine) as s:
        return s.execute(delete(ChannelRequest).where(ChannelRequest.created_at < utcnow() - KEEP)).rowcount or 0
