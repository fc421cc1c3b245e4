"""Chat-turn latency and throughput over Rasa's REST channel, through the action server
and the API, with the bundled sample DB; plus `rasa train` time, model load time and the
memory of each process.

    .venv/svc/bin/python -m training.bench_chat [--turns 400] [--questions knowledge/sample_data/heldout_questions.csv]

Starts its own stack on free ports (like the end-to-end tests), so `make run` may stay up.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from devtools.stack import Stack
from minwon.settings import ROOT


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return round(total / 1024, 1)


async def run_load(url: str, questions: list[str], concurrency: int, turns: int, think_s: float = 0.0) -> dict:
    """Closed loop: each conversation sends its next message when the reply arrives,
    after ``think_s`` seconds (0 = back to back, which measures saturation throughput)."""
    latencies: list[float] = []
    errors = 0
    per_worker = max(turns // concurrency, 1)

    async def worker(i: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        rng = random.Random(i)
        for n in range(per_worker):
            # A conversation is six turns long, as a citizen's usually is; then a new one starts.
            q = rng.choice(questions)
            t0 = time.perf_counter()
            try:
                r = await client.post(url, json={"sender": f"bench-{concurrency}-{think_s}-{i}-{n // 6}", "message": q})
                if r.status_code != 200 or not r.json():
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - t0) * 1000)
            if think_s:
                await asyncio.sleep(think_s * (0.5 + rng.random()))

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(i, client) for i in range(concurrency)))
        wall = time.perf_counter() - started
    arr = np.asarray(latencies)
    return {
        "concurrency": concurrency,
        "think_s": think_s,
        "turns": len(latencies),
        "errors": errors,
        "turns_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(float(np.percentile(arr, 50)), 1),
        "p95_ms": round(float(np.percentile(arr, 95)), 1),
        "p99_ms": round(float(np.percentile(arr, 99)), 1),
    }


def load_questions(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return [r["query"] for r in csv.DictReader(f) if r.get("expected_entry_id")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=480)
    parser.add_argument("--questions", type=Path, default=ROOT / "knowledge/sample_data/heldout_questions.csv")
    args = parser.parse_args()
    questions = load_questions(args.questions)

    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(workdir=Path(tmp), env={})
        try:
            t0 = time.perf_counter()
            model = stack.train(Path(tmp) / "models")
            train_s = time.perf_counter() - t0
            stack.start_api()
            stack.start_actions()
            t0 = time.perf_counter()
            stack.start_rasa(model)
            httpx.get(f"{stack.rasa_url}/status", timeout=60)
            load_s = time.perf_counter() - t0
            url = f"{stack.rasa_url}/webhooks/rest/webhook"
            asyncio.run(run_load(url, questions, 4, 40))  # warm-up
            results = [asyncio.run(run_load(url, questions, c, args.turns)) for c in (1, 8, 16, 32)]
            # People type: 16 conversations, each sending its next message 0.5–1.5 s
            # after the bot's reply (about 15 turns/s offered, half the measured capacity).
            results.append(asyncio.run(run_load(url, questions, 16, args.turns, think_s=1.0)))
            memory = {name: rss_mb(p.pid) for name, p in stack.procs.items()}
            model_mb = round(model.stat().st_size / 1e6, 2)
        finally:
            stack.stop_all()
    report = {"rasa_train_s": round(train_s, 1), "rasa_model_load_s": round(load_s, 1),
              "rss_mb": memory, "load": results, "model_size_mb": model_mb}
    print("\n| concurrent conversations | think time s | turns/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        cells = [r[k] for k in ("concurrency", "think_s", "turns_per_s", "p50_ms", "p95_ms", "p99_ms", "errors")]
        print("| " + " | ".join(str(c) for c in cells) + " |")
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
