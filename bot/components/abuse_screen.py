"""Abuse screening before anything else: our API's detector (minwon/abuse/detector.py) has
the last word on whether a message is abusive or a cry for help, over the intent classifier.

The intent classifier was trained on ~30 swear words and caught 18 % of curse_detection's
abusive sentences; the detector is trained on the abuse corpora. Confident abuse becomes the
`abuse` intent, distress the `distress` intent, so the FAQ never answers an insult and a
citizen in crisis is never warned. The detector's class and probability ride along in the
intent dict for action_handle_abuse. If the API is unreachable the intent stays as it was.

config.yml, after the intent classifier and before FallbackClassifier::

    - name: bot.components.abuse_screen.AbuseScreen
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, List

import requests
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AbuseScreen(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"timeout": 1.0}

    def __init__(self, config: Dict[str, Any]) -> None:
        self.timeout = float(config.get("timeout", 1.0))
        self.session = requests.Session()

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> AbuseScreen:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def _classify(self, text: str) -> Dict[str, Any] | None:
        url = os.environ.get("MINWON_API_URL", "http://127.0.0.1:8000").rstrip("/") + "/api/abuse/classify"
        headers = {"X-Minwon-Service-Token": os.environ.get("MINWON_SERVICE_TOKEN", "")}
        try:
            resp = self.session.post(url, json={"text": text}, headers=headers, timeout=self.timeout)
            if resp.status_code == 200:
                return resp.json()
            logger.warning("abuse screen: HTTP %s", resp.status_code)
        except requests.RequestException as exc:
            logger.warning("abuse screen unavailable: %r", exc)
        return None

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = (message.get("text") or "").strip()
            if not text or text.startswith("/"):
                continue
            verdict = self._classify(text)
            if not verdict or verdict.get("label") == "none":
                continue
            name = "abuse" if verdict["label"] in ("insult", "threat", "sexual") else "distress"
            intent = {"name": name, "confidence": float(verdict["confidence"]), "abuse_class": verdict["label"]}
            # The classifier's own ranking is scaled into what is left, so FallbackClassifier's
            # ambiguity check (top two within 0.05) does not undo the override when the
            # classifier was itself sure of, say, a small-talk intent.
            rest = 1.0 - intent["confidence"]
            ranking = [intent, *[{**r, "confidence": float(r.get("confidence") or 0.0) * rest}
                                 for r in (message.get("intent_ranking") or []) if r.get("name") != name]]
            message.set("intent", intent, add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages
