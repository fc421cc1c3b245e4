"""A conversation ended for abuse stays ended.

After action_handle_abuse sets the `conversation_ended` slot, every later user message gets
action_conversation_closed (a short closing reply, no answer, no ticket) whatever its intent,
then the bot listens. A policy, not rules: rules would need one per intent, and a new intent
would quietly reopen the conversation. `is_no_user_prediction` makes it overrule RulePolicy."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

CLOSED_ACTION = "action_conversation_closed"
ENDED_SLOT = "conversation_ended"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class EndedConversationPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"priority": 7}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain, rule_only_data: Dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        result = self._default_predictions(domain)
        if not tracker.get_slot(ENDED_SLOT):
            return self._prediction(result)
        if tracker.latest_action_name == ACTION_LISTEN_NAME:
            result[domain.index_for_action(CLOSED_ACTION)] = 1.0
        else:
            result[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(result, is_no_user_prediction=True)
