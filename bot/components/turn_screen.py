"""Openers and fillers by their words, over the intent classifier (minwon/dialogue/cues.py).

The classifier took "물어볼 게 있어서 연락드렸어요" for a callback request (연락) and "ㅋㅋㅋ" for yes,
so an opener started the callback form and laughter consented to a call. A message the cues
call an opener becomes the `opener` intent (the bot invites the question), one they call a
filler becomes `filler` (the bot waits), a correction ("아니요 여권 말고 등본이요", which the
classifier read as "no") becomes a question; a request for a person, abuse, distress and button
payloads are never overridden.

config.yml, after the intent classifier and the abuse screen, before FallbackClassifier::

    - name: bot.components.turn_screen.TurnScreen
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from minwon.dialogue import cues

KEEP = {"request_human", "abuse", "distress", "choose_entry"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class TurnScreen(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TurnScreen:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = (message.get("text") or "").strip()
            current = (message.get("intent") or {}).get("name")
            if not text or text.startswith("/") or current in KEEP:
                continue
            if cues.is_opener(text):
                name = "opener"
            elif cues.is_filler(text):
                name = "filler"
            elif cues.correction(text):
                # "아니요 수영 말고 체육관 빌리는 거요" read as "no"; it is a new question.
                name = "ask_question"
            else:
                continue
            if name == current:
                continue
            intent = {"name": name, "confidence": 1.0}
            ranking = [intent, *[{**r, "confidence": 0.0} for r in (message.get("intent_ranking") or [])
                                 if r.get("name") != name]]
            message.set("intent", intent, add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages
