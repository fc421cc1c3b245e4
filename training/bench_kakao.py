"""KakaoTalk skill latency: p50/p95/p99/p100 at 32 concurrent users through the gateway
(API) → Rasa → action server → API, then with Rasa frozen (SIGSTOP: accepts, never
answers) and with Rasa stopped. Kakao gives a skill 5 s; p100 must stay under it.

    .venv/svc/bin/python -m training.bench_kakao [--requests 640] [--model models/x.tar.gz]

Last line: JSON with every figure."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import signal
import time
from pathlib import Path

import httpx
import numpy as np

from devtools.stack import KAKAO_BOT_ID, KAKAO_TOKEN, running_bot
from minwon.settings import ROOT


def payload(user: str, text: str, n: int, run: str) -> dict:
    # Shaped like Kakao's SkillPayload (tests/fixtures/kakao/requests/text.json).
    return {
        "intent": {"id": "block-fallback", "name": "폴백 블록"},
        "userRequest": {
            "timezone": "Asia/Seoul",
            "params": {"ignoreMe": "true"},
            "block": {"id": "block-fallback", "name": "폴백 블록"},
            "utterance": text,
            "lang": "ko",
            "user": {
                "id": user,
                "type": "botUserKey",
                "properties": {"plusfriendUserKey": f"pf-{user}", "n": n, "run": run},
            },
        },
        "bot": {"id": KAKAO_BOT_ID, "name": "예시시 민원 챗봇"},
        "action": {"name": "minwon", "clientExtra": None, "params": {}, "id": "skill-minwon", "detailParams": {}},
    }


async def load(url: str, questions: list[str], users: int, total: int, run: str) -> dict:
    # Each run's requests differ from every other run's: identical bodies are Kakao retries
    # and get the first reply from the gateway's memory.
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    per_user = total // users

    async def user(i: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(i)
        for n in range(per_user):
            body = payload(f"bench-{run}-{i}-{n // 6}", rng.choice(questions), n, run)
            t0 = time.perf_counter()
            try:
                r = await client.post(url, json=body, headers={"X-Skill-Token": KAKAO_TOKEN})
                kind = "ok" if r.status_code == 200 else f"http {r.status_code}"
                if r.status_code == 200 and r.json().get("useCallback"):
                    kind = "callback"
            except httpx.HTTPError as exc:
                kind = type(exc).__name__
            latencies.append(time.perf_counter() - t0)
            statuses[kind] = statuses.get(kind, 0) + 1

    limits = httpx.Limits(max_connections=users)
    async with httpx.AsyncClient(timeout=10, limits=limits) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(user(i, client) for i in range(users)))
        wall = time.perf_counter() - t0
    a = np.asarray(latencies) * 1000
    return {
        "users": users,
        "requests": len(latencies),
        "wall_s": round(wall, 1),
        "p50_ms": round(float(np.percentile(a, 50)), 1),
        "p95_ms": round(float(np.percentile(a, 95)), 1),
        "p99_ms": round(float(np.percentile(a, 99)), 1),
        "p100_ms": round(float(a.max()), 1),
        "outcomes": statuses,
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--requests", type=int, default=640)
    p.add_argument("--model", type=Path)
    args = p.parse_args()
    with (ROOT / "knowledge/sample_data/heldout_questions.csv").open(encoding="utf-8") as f:
        questions = [row["query"] for row in csv.DictReader(f)]
    with running_bot(args.model) as stack:
        url = f"{stack.api_url}/webhooks/kakao/webhook"
        asyncio.run(load(url, questions, 4, 40, "warmup"))
        results = {"normal": asyncio.run(load(url, questions, 32, args.requests, "normal"))}
        stack.procs["rasa"].send_signal(signal.SIGSTOP)
        try:
            results["rasa_frozen"] = asyncio.run(load(url, questions, 32, 64, "frozen"))
        finally:
            stack.procs["rasa"].send_signal(signal.SIGCONT)
        time.sleep(2)
        stack.stop("rasa")
        results["rasa_stopped"] = asyncio.run(load(url, questions, 32, 320, "stopped"))
    for name, r in results.items():
        print(
            f"{name:13s} {r['requests']:4d} req  p50 {r['p50_ms']:7.1f}  p95 {r['p95_ms']:7.1f}  "
            f"p99 {r['p99_ms']:7.1f}  p100 {r['p100_ms']:7.1f} ms  {r['outcomes']}"
        )
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
