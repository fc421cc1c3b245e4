"""The abuse detector: hashed character n-grams, TF-IDF, a multinomial logistic regression.

Classes: insult (insults and profanity aimed at anyone), threat, sexual (sexual harassment),
distress (a citizen in crisis: routed to help, never warned) and none. Trained by
training/train_abuse.py on the train splits of curse_detection_2runo (MIT) and kocohub
korean-hate-speech (CC BY-SA 4.0) plus minwon/abuse/data/written_train.tsv; the weights are
minwon/abuse/data/model.npz (see README.md beside it). numpy only, ~0.1 ms a message
(training/bench_abuse.py), so it runs in the API and in the Rasa process alike."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from minwon.abuse import patterns
from minwon.abuse.features import ngram_counts

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.npz"
ABUSIVE = ("insult", "threat", "sexual")


@dataclass(frozen=True)
class Verdict:
    label: str              # insult | threat | sexual | distress | none
    confidence: float       # probability of `label`
    abusive: float          # probability that the message is abusive at all (insult+threat+sexual)
    probabilities: dict[str, float]
    rule: str = ""          # the pattern (minwon/abuse/patterns.py) that decided it, if one did

    @property
    def is_abusive(self) -> bool:
        return self.label in ABUSIVE

    def as_dict(self) -> dict[str, object]:
        return {"label": self.label, "confidence": round(self.confidence, 4), "abusive": round(self.abusive, 4),
                "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()}, "rule": self.rule}


class Detector(Protocol):
    def classify(self, text: str) -> Verdict: ...


class LinearDetector:
    """Immutable once loaded; `threshold` is the abusive probability above which a message is
    abusive (chosen on a development split of the training data, stored in the model)."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        data = np.load(path, allow_pickle=False)
        self.classes: tuple[str, ...] = tuple(str(c) for c in data["classes"])
        self.weights = data["weights"].astype(np.float32)   # (N_FEATURES, n_classes)
        self.bias = data["bias"].astype(np.float32)
        self.idf = data["idf"].astype(np.float32)
        self.threshold = float(data["threshold"])
        self.distress_threshold = float(data["distress_threshold"])
        self._abusive_idx = [self.classes.index(c) for c in ABUSIVE]

    def classify(self, text: str) -> Verdict:
        counts = ngram_counts(text)
        if not counts:
            probs = {c: (1.0 if c == "none" else 0.0) for c in self.classes}
            return Verdict("none", 1.0, 0.0, probs)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(v) for v in counts.values()), dtype=np.float32, count=len(counts))
        x = tf * self.idf[idx]
        x /= float(np.linalg.norm(x)) or 1.0
        logits = x @ self.weights[idx] + self.bias
        logits -= logits.max()
        p = np.exp(logits)
        p /= p.sum()
        probs = {c: float(v) for c, v in zip(self.classes, p, strict=True)}
        abusive = float(p[self._abusive_idx].sum())
        if abusive >= self.threshold:
            label = max(ABUSIVE, key=lambda c: probs[c])
        elif probs.get("distress", 0.0) >= self.distress_threshold:
            label = "distress"
        else:
            label = "none"
        conf = abusive if label in ABUSIVE else probs[label]
        return Verdict(label, conf, abusive, probs)


# A pattern hit is reported with at least this confidence: the rules are written for precision
# (training/bench_abuse.py: no false alarm on our written legitimate complaints or songys).
RULE_CONFIDENCE = 0.95


class ScreenedDetector:
    """The model, overruled by the pattern layer (minwon/abuse/patterns.py) where a rule fires:
    threats, harassment and swear-free insults aimed at the listener, which the web-comment
    corpora barely contain. Distress rules only apply when the model does not say abusive."""

    def __init__(self, model: LinearDetector) -> None:
        self.model = model
        self.threshold = model.threshold

    def classify(self, text: str) -> Verdict:
        verdict = self.model.classify(text)
        hit = patterns.match(text)
        if hit is None:
            return verdict
        if hit.label in ABUSIVE:
            abusive = max(verdict.abusive, RULE_CONFIDENCE)
            return Verdict(hit.label, abusive, abusive, verdict.probabilities, rule=hit.rule)
        if not verdict.is_abusive:
            conf = max(verdict.probabilities.get("distress", 0.0), RULE_CONFIDENCE)
            return Verdict("distress", conf, verdict.abusive, verdict.probabilities, rule=hit.rule)
        return verdict


_lock = threading.Lock()
_default: ScreenedDetector | None = None


def get_detector() -> ScreenedDetector:
    """Loaded once per process (about 5 MB of arrays)."""
    global _default
    with _lock:
        if _default is None:
            _default = ScreenedDetector(LinearDetector())
        return _default
