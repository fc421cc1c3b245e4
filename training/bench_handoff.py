"""Handoff queue benchmark: ticket creation, claim and queue-update push latency with
200 tickets queued and 20 counsellors' consoles connected, on SQLite and PostgreSQL.

    .venv/svc/bin/python -m training.bench_handoff [--db sqlite postgresql]

Prints a table and, last, one JSON line with every figure."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
from websockets.asyncio.client import connect

from devtools.api_server import api_on
from devtools.stack import SERVICE_HEADERS

COUNSELLORS = 20
QUEUED = 200
MEASURED_CREATES = 100
CREATE_RATE = 10.0  # tickets per second while measuring creation


def pct(values: list[float]) -> dict[str, float]:
    a = np.asarray(values) * 1000
    return {
        "n": len(values),
        "p50_ms": round(float(np.percentile(a, 50)), 1),
        "p95_ms": round(float(np.percentile(a, 95)), 1),
        "max_ms": round(float(a.max()), 1),
    }


async def console_listener(
    api_url: str, cookie: str, seen: dict[tuple[str, str], list[float]], ready: asyncio.Event, stop: asyncio.Event
) -> None:
    ws_url = api_url.replace("http", "ws") + "/api/console/ws"
    async with connect(ws_url, additional_headers={"Cookie": cookie, "Origin": api_url}) as ws:
        await ws.recv()  # hello
        ready.set()
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=0.5)
            except asyncio.TimeoutError:
                continue
            now = time.perf_counter()
            event = json.loads(raw)
            if event.get("type") == "ticket":
                seen.setdefault((event["ticket"]["id"], event["ticket"]["status"]), []).append(now)


async def run(kind: str, workdir: Path) -> dict:
    with api_on(kind, workdir) as stack:
        names = [f"bench{i:02d}" for i in range(COUNSELLORS)]
        for n in names:
            stack.add_user(n, "counsellor")
        sessions = [stack.console(n, "counsellor-pw-1") for n in names]
        async with httpx.AsyncClient(base_url=stack.api_url, timeout=30, headers=SERVICE_HEADERS) as client:
            for i in range(QUEUED):
                r = await client.post("/api/handoff/tickets", json=_body(i))
                assert r.status_code == 201
            seen: dict[tuple[str, str], list[float]] = {}
            stop = asyncio.Event()
            readies = [asyncio.Event() for _ in names]
            listeners = [
                asyncio.create_task(
                    console_listener(stack.api_url, f"minwon_session={s.cookies.get('minwon_session')}", seen, ev, stop)
                )
                for s, ev in zip(sessions, readies, strict=True)
            ]
            await asyncio.gather(*(ev.wait() for ev in readies))
            await asyncio.sleep(1.0)

            # Creation at 200+ queued, paced like a busy centre, while 20 consoles listen.
            create_lat, sent_at = [], {}
            for i in range(QUEUED, QUEUED + MEASURED_CREATES):
                t0 = time.perf_counter()
                r = await client.post("/api/handoff/tickets", json=_body(i))
                create_lat.append(time.perf_counter() - t0)
                sent_at[r.json()["id"]] = t0
                await asyncio.sleep(max(0.0, 1 / CREATE_RATE - (time.perf_counter() - t0)))
            await asyncio.sleep(1.0)
            push_create = [
                t - sent_at[tid]
                for (tid, status), ts in seen.items()
                if status == "queued" and tid in sent_at
                for t in ts
            ]

            # Claims, twice: 20 counsellors at a human pace (each takes the next ticket
            # 0.5–1.5 s after the last: about 20 claims/s offered), then all 20 back to back
            # (a burst, which measures queueing on 2 cores).
            claim_sent: dict[str, float] = {}
            clients = [
                httpx.AsyncClient(base_url=stack.api_url, cookies=s.cookies, headers=dict(s.headers), timeout=30)
                for s in sessions
            ]

            async def counsellor(c: httpx.AsyncClient, budget, out: list[float], think: bool, seed: int) -> None:
                rng = random.Random(seed)
                for _ in budget:
                    if think:
                        await asyncio.sleep(rng.uniform(0.5, 1.5))
                    t0 = time.perf_counter()
                    r = await c.post("/api/console/claim-next")
                    out.append(time.perf_counter() - t0)
                    assert r.status_code == 200, r.text
                    claim_sent[r.json()["id"]] = t0

            paced: list[float] = []
            budget = iter(range(MEASURED_CREATES))
            await asyncio.gather(*(counsellor(c, budget, paced, True, i) for i, c in enumerate(clients)))
            burst: list[float] = []
            budget = iter(range(MEASURED_CREATES))
            await asyncio.gather(*(counsellor(c, budget, burst, False, i) for i, c in enumerate(clients)))
            await asyncio.sleep(1.0)
            push_claim = [
                t - claim_sent[tid]
                for (tid, status), ts in seen.items()
                if status == "claimed" and tid in claim_sent
                for t in ts
            ]
            stop.set()
            await asyncio.gather(*listeners)
            for c in clients:
                await c.aclose()
        return {
            "db": kind,
            "queued": QUEUED,
            "consoles": COUNSELLORS,
            "create": pct(create_lat),
            "claim_paced": pct(paced),
            "claim_burst": pct(burst),
            "push_create": pct(push_create),
            "push_claim": pct(push_claim),
            "push_deliveries_expected": MEASURED_CREATES * COUNSELLORS * 3,
            "push_deliveries": len(push_create) + len(push_claim),
        }


def _body(i: int) -> dict:
    return {
        "conversation_id": f"bench-{i}",
        "channel": "web",
        "reason": "requested_human",
        "dedup_key": f"bench-{i}",
        "transcript": [
            {
                "sender": "user" if n % 2 == 0 else "bot",
                "text": f"수도요금 문의 {i}-{n}",
                "intent": "ask_question",
                "confidence": 0.6,
            }
            for n in range(8)
        ],
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    args = p.parse_args()
    results = []
    for kind in args.db:
        with tempfile.TemporaryDirectory() as tmp:
            r = asyncio.run(run(kind, Path(tmp)))
        results.append(r)
        print(
            f"{kind:10s} create p50 {r['create']['p50_ms']} p95 {r['create']['p95_ms']} ms | "
            f"claim paced p50 {r['claim_paced']['p50_ms']} p95 {r['claim_paced']['p95_ms']} ms, "
            f"burst p50 {r['claim_burst']['p50_ms']} p95 {r['claim_burst']['p95_ms']} ms | "
            f"push(create) p50 {r['push_create']['p50_ms']} p95 {r['push_create']['p95_ms']} ms | "
            f"push(claim) p50 {r['push_claim']['p50_ms']} p95 {r['push_claim']['p95_ms']} ms | "
            f"deliveries {r['push_deliveries']}/{r['push_deliveries_expected']}"
        )
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
