"""20 counsellors claim from 200 queued tickets at once, over HTTP, on SQLite and on
PostgreSQL: every ticket is claimed exactly once and nobody gets an error."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from minwon.db.models import Ticket
from minwon.db.session import make_engine, session_scope
from tests.api_server import api_on, new_ticket

COUNSELLORS = 20
TICKETS = 200


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_every_ticket_is_claimed_exactly_once(kind, tmp_path):
    with api_on(kind, tmp_path) as stack:
        names = [f"c{i:02d}" for i in range(COUNSELLORS)]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda n: stack.add_user(n, "counsellor"), names))
            created = list(pool.map(lambda i: new_ticket(stack, i, turns=2), range(TICKETS)))
        assert all(r.status_code == 201 for r in created)
        clients = [stack.console(n, "counsellor-pw-1") for n in names]
        start = threading.Barrier(COUNSELLORS)
        claims: dict[str, list[str]] = {n: [] for n in names}
        errors: list[str] = []

        def work(name: str, client) -> None:
            start.wait()
            while True:
                r = client.post("/api/console/claim-next")
                if r.status_code == 404:
                    return
                if r.status_code != 200:
                    errors.append(f"{name}: {r.status_code} {r.text[:200]}")
                    return
                claims[name].append(r.json()["id"])

        threads = [threading.Thread(target=work, args=(n, c)) for n, c in zip(names, clients, strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors
        won = Counter(i for ids in claims.values() for i in ids)
        assert len(won) == TICKETS and set(won.values()) == {1}, "a ticket was claimed twice or not at all"
        assert sum(1 for ids in claims.values() if ids) > 1, "the load was not concurrent"
        with session_scope(make_engine(stack.full_env()["MINWON_DATABASE_URL"])) as s:
            rows = s.execute(select(Ticket.id, Ticket.status, Ticket.claimed_by)).all()
        owner = {i: n for n, ids in claims.items() for i in ids}
        assert len(rows) == TICKETS
        assert all(status == "claimed" and owner[tid] == by for tid, status, by in rows)
        for c in clients:
            c.close()
