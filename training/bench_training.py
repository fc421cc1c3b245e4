"""Retraining at 1,000 entries, and publishing under load.

1. A counseling DB of 1,000 entries (paraKQC sets: the first sentence as the question,
   three more as phrasings, so the intent examples number about as many as a real
   1,000-entry DB gives) is loaded into a fresh SQLite database; ``training.models.train``
   builds the intent examples from it, trains and evaluates, as the admin page does.
   Wall time and the peak resident memory of the training process tree are recorded.
2. The bot runs on the sample DB's model; a steady 10 turns/s of REST chat runs while the
   new model is published into the running Rasa (PUT /model); every failed or empty reply
   is counted, and the latency around the swap is reported.

    .venv/svc/bin/python -m training.bench_training      # last line: JSON
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np

from devtools.stack import RASA_TOKEN, Stack
from minwon import nlu_models as model_ops
from minwon.db.session import make_engine, migrate
from minwon.knowledge.store import import_file
from training.datasets import parakqc


def thousand_entry_csv(path: Path) -> int:
    index, queries = parakqc()
    phrasings: dict[str, list[str]] = {}
    for text, set_id in queries:
        phrasings.setdefault(set_id, []).append(text)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["id", "category", "question", "alt_questions", "answer"])
    for set_id, topic, text in index[:1000]:
        w.writerow([f"PQ-{set_id}", topic or "일반", text, "|".join(phrasings[set_id][:3]), f"{topic} 안내 {set_id}"])
    path.write_text(out.getvalue(), encoding="utf-8")
    return 1000


def main() -> None:
    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        db = f"sqlite:///{tmp_path / 'thousand.sqlite3'}"
        n = thousand_entry_csv(tmp_path / "thousand.csv")
        engine = make_engine(db)
        migrate(engine)
        import_file(engine, str(tmp_path / "thousand.csv"), updated_by="bench")
        os.environ["MINWON_DATABASE_URL"] = db
        # A cold training: Rasa's component cache would otherwise reuse an earlier run.
        os.environ["RASA_CACHE_DIRECTORY"] = str(tmp_path / "rasa-cache")
        os.environ["MINWON_SEED_SAMPLE_DB"] = "false"
        t0 = time.monotonic()
        entry = model_ops.train(tmp_path / "models", cv=False, progress=lambda s: print("  ", s, flush=True))
        report["retrain_1000"] = {
            "entries": n,
            "wall_s": round(time.monotonic() - t0, 1),
            "train_s": entry["train_s"],
            "peak_rss_mb": entry["peak_rss_mb"],
            "eval": {k: entry["eval"][k] for k in ("accuracy", "macro_f1", "examples")},
        }
        print("retrain:", report["retrain_1000"], flush=True)
        del os.environ["MINWON_DATABASE_URL"], os.environ["MINWON_SEED_SAMPLE_DB"]

        stack = Stack(workdir=tmp_path / "stack", env={})
        (tmp_path / "stack").mkdir()
        try:
            base = stack.train(tmp_path / "stack" / "models")
            stack.start_api()
            stack.start_actions()
            stack.start_rasa(base)
            latencies: list[tuple[float, float, bool]] = []
            done = threading.Event()

            def one(k: int, client: httpx.Client) -> None:
                t = time.monotonic()
                try:
                    r = client.post(
                        f"{stack.rasa_url}/webhooks/rest/webhook",
                        json={"sender": f"bench-{k % 30}", "message": "수도요금 납부 방법"},
                    )
                    ok = r.status_code == 200 and bool(r.json())
                except httpx.HTTPError:
                    ok = False
                latencies.append((t, time.monotonic() - t, ok))

            def chat() -> None:
                # Open loop: a new turn every 100 ms whatever the replies do, so the offered
                # load stays at 10 turns/s through the swap.
                workers: list[threading.Thread] = []
                with httpx.Client(timeout=60, limits=httpx.Limits(max_connections=100)) as client:
                    k, start = 0, time.monotonic()
                    while not done.is_set():
                        w = threading.Thread(target=one, args=(k, client))
                        w.start()
                        workers.append(w)
                        k += 1
                        time.sleep(max(0.0, start + k * 0.1 - time.monotonic()))
                    for w in workers:
                        w.join(60)

            load = threading.Thread(target=chat)
            load.start()
            time.sleep(5)
            swap_start = time.monotonic()
            r = httpx.put(
                f"{stack.rasa_url}/model", params={"token": RASA_TOKEN}, json={"model_file": entry["path"]}, timeout=300
            )
            swap_s = time.monotonic() - swap_start
            time.sleep(5)
            done.set()
            load.join()
            during = [lat for t, lat, _ in latencies if swap_start <= t <= swap_start + swap_s]
            report["publish_under_load"] = {
                "http_status": r.status_code,
                "swap_s": round(swap_s, 1),
                "requests": len(latencies),
                "failed": sum(1 for *_, ok in latencies if not ok),
                "rate_per_s": round(
                    len(latencies) / (max(t for t, *_ in latencies) - min(t for t, *_ in latencies)), 1
                ),
                "p50_ms_during_swap": round(float(np.percentile(during, 50)) * 1000, 1) if during else None,
                "max_ms_during_swap": round(max(during) * 1000, 1) if during else None,
                "p50_ms_outside": round(
                    float(
                        np.percentile(
                            [lat for t, lat, _ in latencies if not swap_start <= t <= swap_start + swap_s], 50
                        )
                    )
                    * 1000,
                    1,
                ),
            }
            print("publish:", report["publish_under_load"], flush=True)
        finally:
            stack.stop_all()
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
