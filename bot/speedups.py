"""Speed-ups for Rasa 3.6 internals, installed when Rasa imports the ``bot`` package
(it does, to load our tokenizer and REST channel).

Rasa validates every action-server reply with ``jsonschema.validate``, which checks the
schema against its meta-schema again on every call: 16 ms per custom action on this CPU,
about half of an FAQ turn (docs/benchmarks.md). ``cached_validate`` builds one validator
per distinct schema and keeps jsonschema's behaviour: same validator class, same
``best_match`` error.
"""

from __future__ import annotations

import copy
import threading
from typing import Any, List, Tuple

import jsonschema
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for

_original_validate = jsonschema.validate
_cache: List[Tuple[Any, Any]] = []
_lock = threading.Lock()
_MAX_SCHEMAS = 64


def _validator(schema: Any) -> Any:
    with _lock:
        for known, validator in _cache:
            if known is schema or known == schema:
                return validator
    cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    with _lock:
        _cache.append((copy.deepcopy(schema), validator))
        if len(_cache) > _MAX_SCHEMAS:
            _cache.pop(0)
    return validator


def cached_validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    if cls is not None or args or kwargs:
        return _original_validate(instance, schema, cls, *args, **kwargs)
    error = best_match(_validator(schema).iter_errors(instance))
    if error is not None:
        raise error
    return None


def install() -> None:
    jsonschema.validate = cached_validate
