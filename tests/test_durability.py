"""kill -9 the API while tickets are being created and claimed: after a restart every
acknowledged ticket is there with its whole transcript, and every acknowledged claim holds."""

from __future__ import annotations

import signal
import threading
import time

import httpx
import pytest

from minwon.db.models import Ticket
from minwon.db.session import make_engine, session_scope
from tests.api_server import api_on, new_ticket

TURNS = 6


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_acknowledged_tickets_and_claims_survive_kill_9(kind, tmp_path):
    with api_on(kind, tmp_path) as stack:
        names = [f"k{i}" for i in range(4)]
        for n in names:
            stack.add_user(n, "counsellor")
        clients = {n: stack.console(n, "counsellor-pw-1") for n in names}
        for i in range(40):
            assert new_ticket(stack, i, turns=TURNS).status_code == 201
        acked_tickets: dict[str, int] = {}
        acked_claims: dict[str, str] = {}
        stop = threading.Event()
        counter = iter(range(1000, 100_000))
        lock = threading.Lock()

        def create() -> None:
            with httpx.Client() as client:
                while not stop.is_set():
                    with lock:
                        i = next(counter)
                    try:
                        r = new_ticket(stack, i, client, turns=TURNS)
                    except httpx.HTTPError:
                        return
                    if r.status_code == 201:
                        acked_tickets[r.json()["id"]] = i

        def claim(name: str) -> None:
            while not stop.is_set():
                try:
                    r = clients[name].post("/api/console/claim-next")
                except httpx.HTTPError:
                    return
                if r.status_code == 200:
                    acked_claims[r.json()["id"]] = name

        threads = [threading.Thread(target=create) for _ in range(4)]
        threads += [threading.Thread(target=claim, args=(n,)) for n in names]
        for t in threads:
            t.start()
        time.sleep(3.0)
        stack.stop("api", signal.SIGKILL)
        stop.set()
        for t in threads:
            t.join(30)
        assert len(acked_tickets) > 20 and len(acked_claims) > 10, (len(acked_tickets), len(acked_claims))

        stack.start_api()
        engine = make_engine(stack.full_env()["MINWON_DATABASE_URL"])
        with session_scope(engine) as s:
            for ticket_id, i in acked_tickets.items():
                t = s.get(Ticket, ticket_id)
                assert t is not None, f"acknowledged ticket {ticket_id} lost"
                assert [m.text for m in t.messages] == [f"질문 {i}-{n}" for n in range(TURNS)]
            for ticket_id, name in acked_claims.items():
                t = s.get(Ticket, ticket_id)
                assert t is not None and t.status == "claimed" and t.claimed_by == name
        # The restarted service works on the same data.
        fresh = stack.console(names[0], "counsellor-pw-1")
        assert fresh.get("/api/console/queue").status_code == 200
