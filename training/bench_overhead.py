"""What the issue-18 boundary adds to each chat turn, in-process: the service-token
compare, the NUL-stripping request validator, and the retry wrapper (tenacity) that
single-attempt calls now skip. Microseconds per call; compare with a 25-50 ms turn.

    .venv/svc/bin/python -m training.bench_overhead
"""

import asyncio
import secrets
import time

from pydantic import BaseModel, Field

from api.schemas import AskRequest
from minwon.clients.retry import retrying


class PlainAsk(BaseModel):
    text: str = Field(max_length=10_000)
    conversation_id: str = ""
    channel: str = "rest"
    log: bool = True


BODY = {"text": "여권 재발급 준비물이 뭐예요", "conversation_id": "c-123", "channel": "rest"}


def per_call_us(fn, n: int = 20_000) -> float:
    t = time.perf_counter()
    for _ in range(n):
        fn()
    return round((time.perf_counter() - t) / n * 1e6, 3)


async def _once() -> int:
    async for attempt in retrying(1, what="bench"):
        with attempt:
            return 1
    return 0


async def _plain() -> int:
    return 1


async def per_await_us(fn, n: int = 20_000) -> float:
    t = time.perf_counter()
    for _ in range(n):
        await fn()
    return round((time.perf_counter() - t) / n * 1e6, 3)


def main() -> None:
    print("request validator with NUL stripping us:", per_call_us(lambda: AskRequest.model_validate(BODY)))
    print("plain pydantic model us:", per_call_us(lambda: PlainAsk.model_validate(BODY)))
    print("tenacity, one attempt us:", asyncio.run(per_await_us(_once)))
    print("plain await us:", asyncio.run(per_await_us(_plain)))
    token = b"x" * 32
    print("service-token compare us:", per_call_us(lambda: secrets.compare_digest(token, token)))


if __name__ == "__main__":
    main()
