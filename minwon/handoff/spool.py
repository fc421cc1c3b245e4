"""Ingesting tickets that the action server spooled while the API was unreachable."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from sqlalchemy import Engine

from minwon.handoff.tickets import NewTicket, Turn, create_ticket

log = logging.getLogger(__name__)


def ingest(engine: Engine, spool_dir: Path) -> int:
    """Create every spooled ticket (idempotent through its dedup key), then remove the file.
    A line that cannot be parsed is kept in a .rejected file for a person to look at."""
    path = spool_dir / "tickets.jsonl"
    if not path.exists():
        return 0
    # Rename first so the action server starts a fresh file while we read this one.
    work = path.with_suffix(f".ingesting.{os.getpid()}")
    path.rename(work)
    created = 0
    rejected: list[str] = []
    for line in work.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            _, was_new = create_ticket(
                engine,
                NewTicket(
                    conversation_id=str(data["conversation_id"]), channel=str(data.get("channel") or "rest"),
                    reason=str(data.get("reason") or "requested_human"),
                    transcript=[Turn(**{k: t.get(k) for k in ("sender", "text", "intent", "confidence",
                                                                 "candidates", "channel") if t.get(k) is not None})
                                for t in data.get("transcript") or []],
                    category=data.get("category") or "", department=data.get("department") or "",
                    entry_id=data.get("entry_id"), kind=data.get("kind") or "chat",
                    dedup_key=data.get("dedup_key"),
                ),
            )
            created += was_new
        except (ValueError, KeyError, TypeError) as exc:
            log.error("spooled ticket could not be ingested (%s); kept in .rejected", exc)
            rejected.append(line)
    if rejected:
        with (spool_dir / "tickets.rejected.jsonl").open("a", encoding="utf-8") as f:
            f.write("\n".join(rejected) + "\n")
    work.unlink()
    log.info("ingested %d spooled tickets", created)
    return created
