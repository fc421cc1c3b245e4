"""Retraining from the admin API against the running bot: a background training with
progress, an evaluation report, the regression gate, publishing into the running Rasa
server while citizens keep chatting (no failed request), and rollback."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.stack import RASA_TOKEN

pytestmark = pytest.mark.slow


def _rasa_model(stack) -> str:
    return httpx.get(f"{stack.rasa_url}/status", params={"token": RASA_TOKEN}, timeout=10).json()["model_file"]


def test_train_evaluate_gate_publish_and_rollback(stack):
    stack.add_user("trainer", "knowledge_manager", "trainer-pw-12")
    km = stack.console("trainer", "trainer-pw-12")
    started = km.post("/api/admin/training", json={"cross_validation": False})
    assert started.status_code == 202, started.text
    assert km.post("/api/admin/training", json={}).status_code == 409  # one at a time
    stages = set()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        st = km.get("/api/admin/training").json()
        stages.add(st["stage"])
        if not st["running"]:
            break
        time.sleep(1)
    assert st["error"] is None and st["result"], st
    assert any("학습 중" in s for s in stages), stages
    candidate = st["result"]
    ev = candidate["eval"]
    assert ev["accuracy"] > 0.8 and ev["macro_f1"] > 0.7 and ev["examples"] > 100, ev
    assert candidate["gate"]["passed"]
    assert km.get(f"/api/admin/models/{candidate['name']}/confusion.png").headers["content-type"] == "image/png"

    # Publish while citizens chat at about 10 turns/s: not one request may fail.
    failures, done = [], threading.Event()

    def chat() -> None:
        n = 0
        with httpx.Client(timeout=30) as client:
            while not done.is_set():
                t0 = time.monotonic()
                try:
                    r = client.post(
                        f"{stack.rasa_url}/webhooks/rest/webhook",
                        json={"sender": f"publish-{n % 20}", "message": "수도요금 납부 방법"},
                    )
                    if r.status_code != 200 or not r.json():
                        failures.append(f"{r.status_code} {r.text[:100]}")
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))
                n += 1
                time.sleep(max(0.0, 0.1 - (time.monotonic() - t0)))

    load = threading.Thread(target=chat)
    load.start()
    try:
        time.sleep(1)
        published = km.post(f"/api/admin/models/{candidate['name']}/publish")
        time.sleep(1)
    finally:
        done.set()
        load.join(60)
    assert published.status_code == 200, published.text
    assert not failures, failures[:5]
    assert Path(_rasa_model(stack)).name == Path(candidate["path"]).name

    # The gate: a candidate worse than the active model cannot be published.
    registry_path = Path(stack.full_env()["MINWON_MODELS_DIR"]) / "registry.json"
    reg = json.loads(registry_path.read_text(encoding="utf-8"))
    worse = {
        **candidate,
        "name": candidate["name"] + "-worse",
        "status": "candidate",
        "eval": {**ev, "accuracy": round(ev["accuracy"] - 0.2, 4)},
    }
    same = {**candidate, "name": candidate["name"] + "-again", "status": "candidate"}
    reg["models"] += [worse, same]
    registry_path.write_text(json.dumps(reg, ensure_ascii=False), encoding="utf-8")
    refused = km.post(f"/api/admin/models/{worse['name']}/publish")
    assert refused.status_code == 409 and "정확도가 떨어졌습니다" in refused.json()["detail"], refused.text
    assert km.post(f"/api/admin/models/{worse['name']}/rollback").status_code == 409  # never published
    assert km.post("/api/admin/models/nope/publish").status_code == 404

    # Rollback: publish another, then go back to the first.
    assert km.post(f"/api/admin/models/{same['name']}/publish").status_code == 200
    back = km.post(f"/api/admin/models/{candidate['name']}/rollback")
    assert back.status_code == 200, back.text
    models = km.get("/api/admin/models").json()
    assert models["active"] == candidate["name"]
    assert {m["name"]: m["status"] for m in models["models"]}[worse["name"]] == "rejected"
    assert stack.say(f"after-rollback-{time.time_ns()}", "수도요금 납부 방법")
