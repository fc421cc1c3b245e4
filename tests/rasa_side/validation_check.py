"""Run in the Rasa venv: the cached jsonschema validation accepts and rejects exactly what
jsonschema does for Rasa's action-server reply schema, and is faster. Prints JSON."""

import json
import time

import jsonschema
from rasa.core.actions.action import RemoteAction

import bot  # noqa: F401  (installs the speed-up, as loading our components does in Rasa)
from bot import speedups

GOOD = {"events": [{"event": "slot", "name": "misses", "value": 0.0}], "responses": [{"text": "답변"}]}
BAD = [{"events": "nope"}, {"events": [{"event": 5}]}, {"responses": "x"}]


def outcome(fn, instance):
    try:
        fn(instance, RemoteAction.action_response_format_spec())
        return "ok"
    except jsonschema.ValidationError as e:
        return e.message


def timed(fn, n=30):
    t = time.perf_counter()
    for _ in range(n):
        fn(GOOD, RemoteAction.action_response_format_spec())
    return (time.perf_counter() - t) / n * 1000


print(json.dumps({
    "installed": jsonschema.validate is speedups.cached_validate,
    "same": [outcome(speedups.cached_validate, x) == outcome(speedups._original_validate, x) for x in [GOOD, *BAD]],
    "good": outcome(jsonschema.validate, GOOD),
    "cached_ms": timed(speedups.cached_validate),
    "original_ms": timed(speedups._original_validate),
}))
