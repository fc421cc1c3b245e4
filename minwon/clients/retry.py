"""The one retry policy of minwon's clients, on tenacity (maintained, Apache-2.0) instead
of a hand-written loop in each client (there were five, with three different waits).

Exponential waits from ``first_wait_s`` (0.1 s: 0.1, 0.2, 0.4 …), at most ``attempts``
tries; the last error is raised as it is, so callers keep their own fallbacks (the spool,
the reply kept for the user's next message)."""

from __future__ import annotations

import logging

from tenacity import AsyncRetrying, before_sleep_log, retry_if_exception_type, stop_after_attempt, wait_exponential

log = logging.getLogger("minwon.retry")


def retrying(
    attempts: int = 3,
    first_wait_s: float = 0.1,
    retry_on: type[BaseException] | tuple[type[BaseException], ...] = Exception,
    what: str = "request",
) -> AsyncRetrying:
    """``async for attempt in retrying(...): with attempt: ...``"""
    return AsyncRetrying(
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=first_wait_s, max=first_wait_s * 2 ** max(0, attempts - 2)),
        retry=retry_if_exception_type(retry_on),
        before_sleep=before_sleep_log(logging.getLogger(f"minwon.retry.{what.replace(' ', '_')}"), logging.WARNING),
        reraise=True,
    )
