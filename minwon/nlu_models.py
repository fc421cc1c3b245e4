"""Intent models: train, evaluate, gate, publish, roll back: production code the API's
admin page (재학습) runs, moved out of ``training/`` (which keeps benchmarks and the thin CLI,
``training/models.py``):

    python -m training.models train [--cv]      # train + evaluate a candidate
    python -m training.models list
    python -m training.models publish NAME      # refused if worse than the active model
    python -m training.models rollback NAME     # back to any earlier published model

Models live in ``$MINWON_MODELS_DIR`` (default models/) next to ``registry.json``, which
records every candidate with its evaluation and which one Rasa serves. Training and
evaluation run Rasa's own CLI in the Rasa venv; publishing uses Rasa's HTTP API
(``PUT /model``), which swaps the model inside the running server.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import httpx

from minwon.errors import Conflict, NotFound, Unavailable
from minwon.settings import ROOT

RASA_BIN = ROOT / ".venv" / "rasa" / "bin" / "rasa"
REGRESSION_DIR = ROOT / "training" / "regression"
HELDOUT = ROOT / "knowledge" / "sample_data" / "heldout_questions.csv"
# A candidate may trail the active model by this much and still be published: evaluation
# noise on a few hundred examples, not a real regression.
ACCURACY_TOLERANCE = 0.01
MACRO_F1_TOLERANCE = 0.02


class GateError(Conflict):
    """The regression gate refused a publish (409)."""

    code = "model_gate"

    def __init__(self, message: str) -> None:
        super().__init__(None, message)


class ModelNotFound(NotFound, KeyError):
    code = "model_not_found"

    def __init__(self, message: str) -> None:
        super().__init__(None, message)

    def __str__(self) -> str:
        return self.message


@dataclass
class Registry:
    path: Path
    data: dict[str, Any] = field(default_factory=lambda: {"models": [], "active": None})

    @classmethod
    def load(cls, models_dir: Path) -> Registry:
        path = models_dir / "registry.json"
        reg = cls(path)
        if path.exists():
            reg.data = json.loads(path.read_text(encoding="utf-8"))
        return reg

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(self.path)  # atomic: a crash never leaves half a registry

    def get(self, name: str) -> dict[str, Any]:
        for m in self.data["models"]:
            if m["name"] == name:
                return m
        raise ModelNotFound(f"모델을 찾을 수 없습니다: {name}")

    @property
    def active(self) -> dict[str, Any] | None:
        name = self.data.get("active")
        return self.get(name) if name else None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _tree_rss_mb(pid: int) -> float:
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                kids = (task / "children").read_text().split()
                todo += [int(k) for k in kids]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total / 1024


def _run(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """Run a command, return (wall seconds, peak resident MB of its process tree)."""
    t0, peak = time.monotonic(), 0.0
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        while proc.poll() is None:
            peak = max(peak, _tree_rss_mb(proc.pid))
            time.sleep(0.25)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed ({proc.returncode}); see {log}")
    return time.monotonic() - t0, peak


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHONPATH", str(ROOT))
    env["RASA_TELEMETRY_ENABLED"] = "false"
    return env


def regression_set(out: Path, questions: int = 150) -> Path:
    """Hand-written small-talk phrasings plus citizens' held-out questions as ask_question."""
    text = (REGRESSION_DIR / "nlu_smalltalk.yml").read_text(encoding="utf-8")
    with HELDOUT.open(encoding="utf-8") as f:
        asked = [r["query"] for r in csv.DictReader(f) if r.get("expected_entry_id")][:questions]
    lines = "".join(f"      - {q.replace(':', ' ')}\n" for q in asked)
    out.write_text(text + "  - intent: ask_question\n    examples: |\n" + lines, encoding="utf-8")
    return out


def evaluate(model: Path, out_dir: Path, cv: bool = False) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    env, log = _env(), out_dir / "evaluate.log"
    test_file = regression_set(out_dir / "regression.yml")
    _run(
        [str(RASA_BIN), "test", "nlu", "--model", str(model), "--nlu", str(test_file), "--out", str(out_dir)], env, log
    )
    report = json.loads((out_dir / "intent_report.json").read_text(encoding="utf-8"))
    errors = (
        json.loads((out_dir / "intent_errors.json").read_text(encoding="utf-8"))
        if (out_dir / "intent_errors.json").exists()
        else []
    )
    pairs = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
    result: dict[str, Any] = {
        "accuracy": round(float(report["accuracy"]), 4),
        "macro_f1": round(float(report["macro avg"]["f1-score"]), 4),
        "weighted_f1": round(float(report["weighted avg"]["f1-score"]), 4),
        "examples": int(report["macro avg"]["support"]),
        "per_intent": {
            k: round(float(v["f1-score"]), 4)
            for k, v in report.items()
            if isinstance(v, dict) and k not in ("macro avg", "weighted avg", "micro avg")
        },
        "confusion_pairs": [{"intent": a, "predicted": b, "count": n} for (a, b), n in pairs.most_common(10)],
        "plot": str(out_dir / "intent_confusion_matrix.png"),
    }
    if cv:
        cv_dir = out_dir / "cv"
        _run(
            [
                str(RASA_BIN),
                "test",
                "nlu",
                "--nlu",
                "nlu_data",
                "--config",
                "config.yml",
                "--cross-validation",
                "--folds",
                "3",
                "--out",
                str(cv_dir),
            ],
            env,
            log,
        )
        cv_report = json.loads((cv_dir / "intent_report.json").read_text(encoding="utf-8"))
        result["cross_validation"] = {
            "folds": 3,
            "accuracy": round(float(cv_report["accuracy"]), 4),
            "macro_f1": round(float(cv_report["macro avg"]["f1-score"]), 4),
        }
    return result


def train(models_dir: Path, cv: bool = False, progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Train a candidate from the current counseling DB and nlu_data/, evaluate it, record it."""
    models_dir.mkdir(parents=True, exist_ok=True)
    name = "minwon-" + datetime.now().strftime("%Y%m%d-%H%M%S")
    env = _env() | {"MINWON_MODELS_DIR": str(models_dir), "MINWON_MODEL_NAME": name}
    log = models_dir / f"{name}.log"
    progress("학습 중 (상담 DB에서 예문을 만들고 Rasa 모델을 학습합니다)")
    wall, peak = _run(["bash", "scripts/train.sh"], env, log)
    model = models_dir / f"{name}.tar.gz"
    progress("평가 중 (회귀 평가 세트" + (", 교차 검증" if cv else "") + ")")
    metrics = evaluate(model, models_dir / f"{name}.eval", cv=cv)
    reg = Registry.load(models_dir)
    entry = {
        "name": name,
        "path": str(model),
        "created_at": _now(),
        "train_s": round(wall, 1),
        "peak_rss_mb": round(peak, 1),
        "eval": metrics,
        "status": "candidate",
    }
    entry["gate"] = gate(reg.active, entry)
    reg.data["models"].append(entry)
    reg.save()
    progress("완료")
    return entry


def gate(active: dict[str, Any] | None, candidate: dict[str, Any]) -> dict[str, Any]:
    """Whether the candidate may replace the active model, and why not."""
    if active is None or "eval" not in active:
        return {"passed": True, "reason": "비교할 현재 모델이 없습니다."}
    a, c = active["eval"], candidate["eval"]
    if c["accuracy"] < a["accuracy"] - ACCURACY_TOLERANCE:
        return {"passed": False, "reason": f"정확도가 떨어졌습니다 ({a['accuracy']:.3f} → {c['accuracy']:.3f})."}
    if c["macro_f1"] < a["macro_f1"] - MACRO_F1_TOLERANCE:
        return {
            "passed": False,
            "reason": f"의도별 평균 F1이 떨어졌습니다 ({a['macro_f1']:.3f} → {c['macro_f1']:.3f}).",
        }
    return {
        "passed": True,
        "reason": f"정확도 {a['accuracy']:.3f} → {c['accuracy']:.3f}, F1 {a['macro_f1']:.3f} → {c['macro_f1']:.3f}",
    }


def _swap(model: Path, rasa_url: str, token: str) -> None:
    params = {"token": token} if token else {}
    r = httpx.put(f"{rasa_url.rstrip('/')}/model", params=params, json={"model_file": str(model)}, timeout=300)
    if r.status_code >= 300:
        raise Unavailable(None, f"Rasa가 모델을 불러오지 못했습니다: HTTP {r.status_code} {r.text[:300]}")


def publish(models_dir: Path, name: str, rasa_url: str, token: str, rollback: bool = False) -> dict[str, Any]:
    """Swap the model in the running Rasa server. A new candidate must pass the gate
    against the active model; a rollback may restore any model that was published before."""
    reg = Registry.load(models_dir)
    m = reg.get(name)
    if rollback:
        if not m.get("published_at"):
            raise GateError("한 번도 게시된 적 없는 모델로는 되돌릴 수 없습니다. 게시(publish)를 사용해 주세요.")
    else:
        verdict = gate(reg.active, m)
        if not verdict["passed"]:
            m["status"] = "rejected"
            m["gate"] = verdict
            reg.save()
            raise GateError("게시할 수 없습니다: " + verdict["reason"])
    # The admin page sees file names only (public()); a name is a file in models_dir.
    model = Path(m["path"]) if Path(m["path"]).is_absolute() else models_dir / m["path"]
    _swap(model, rasa_url, token)
    for other in reg.data["models"]:
        if other["status"] == "active":
            other["status"] = "retired"
    m["status"], m["published_at"] = "active", _now()
    reg.data["active"] = name
    reg.data.setdefault("history", []).append({"name": name, "at": _now(), "rollback": rollback})
    reg.save()
    return m


class TrainingJob:
    """One background training at a time, for the admin page."""

    def __init__(self, models_dir: Path) -> None:
        self.models_dir = models_dir
        self.state: dict[str, Any] = {"running": False, "stage": "", "result": None, "error": None}
        self._lock = threading.Lock()

    def start(self, cv: bool) -> bool:
        with self._lock:
            if self.state["running"]:
                return False
            self.state = {"running": True, "stage": "시작", "result": None, "error": None, "started_at": _now()}
        threading.Thread(target=self._run, args=(cv,), daemon=True).start()
        return True

    def _run(self, cv: bool) -> None:
        try:
            result = train(self.models_dir, cv, progress=lambda s: self.state.update(stage=s))
            self.state.update(running=False, result=result, stage="완료")
        except Exception as exc:  # shown on the admin page; the log file has the rest
            self.state.update(running=False, error=str(exc), stage="실패")


def public(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    """A registry entry as the admin page gets it: file names, not the server's paths."""
    if entry is None:
        return None
    out = {**entry, "path": Path(entry["path"]).name if entry.get("path") else None}
    if isinstance(entry.get("eval"), dict):
        out["eval"] = {k: v for k, v in entry["eval"].items() if k != "plot"}
        out["eval"]["has_plot"] = bool(entry["eval"].get("plot"))
    return out
