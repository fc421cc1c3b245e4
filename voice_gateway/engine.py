"""What all calls share: one Whisper model behind a small pool (more recognitions at once
than cores only makes every caller wait), the TTS with its prompt cache, the Rasa client,
the API client for callback tickets, and the list of live calls."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import numpy as np

from minwon.retrieval.vocabulary import Correction
from minwon.settings import Settings
from voice_gateway.dialogue import RasaDialogue
from voice_gateway.stt import Transcript, WhisperSTT
from voice_gateway.tts import CachedTTS, make_tts

log = logging.getLogger("minwon.voice")


@dataclass
class Stats:
    calls_started: int = 0
    calls_ended: int = 0
    corrections_asked: int = 0
    corrections_failed: int = 0
    turns: list[dict[str, Any]] = field(default_factory=list)
    # The last calls (id, transport, start), for operators and the tests to find a call.
    recent: list[dict[str, Any]] = field(default_factory=list)

    def add_call(self, call_id: str, transport: str) -> None:
        self.calls_started += 1
        self.recent.append({"call_id": call_id, "transport": transport, "started": time.time()})
        del self.recent[:-100]

    def add_turn(self, timing: dict[str, Any]) -> None:
        self.turns.append(timing)
        del self.turns[:-1000]  # the last thousand turns are enough for the figures


class VoiceEngine:
    def __init__(self, settings: Settings, stt: WhisperSTT | None = None, tts: CachedTTS | None = None) -> None:
        self.settings = settings
        self.voice = settings.voice
        self.stt = stt or WhisperSTT(settings.voice)
        self.tts = tts or make_tts(settings.voice)
        self.dialogue = RasaDialogue(settings.rasa_url)
        self.api = httpx.AsyncClient(base_url=settings.api_url, timeout=httpx.Timeout(5.0, connect=1.0),
                                     headers={"X-Minwon-Service-Token": settings.service_token})
        self._stt_pool = ThreadPoolExecutor(max(1, self.voice.stt_workers), thread_name_prefix="stt")
        self._tts_pool = ThreadPoolExecutor(2, thread_name_prefix="tts")
        self.calls: dict[str, Any] = {}
        self.stats = Stats()

    def warm_up(self) -> None:
        """Load everything before the first call rings (Whisper's first pass is slow)."""
        hiss = 1e-3 * np.random.default_rng(0).standard_normal(16_000).astype(np.float32)
        self.stt.recognize(hiss)
        from voice_gateway import prompts
        from voice_gateway.tts import sentences

        for text in (prompts.GREETING, prompts.REPROMPT, prompts.GOODBYE_SILENCE, prompts.NOT_HEARD):
            for s in sentences(text):
                self.tts.synthesize(s)

    async def warm_dialogue(self) -> None:
        """One turn through Rasa, the action server and the API at start-up, so the first
        caller does not pay for their cold start (measured: ~2 s once, ~40 ms after)."""
        for _ in range(60):
            try:
                await self.dialogue.send("voice-warmup", "안녕하세요", {"warmup": True})
                if self.voice.stt_correct_vocabulary:  # the API builds its name index on first use
                    await self._ask_correction("아이스팩", timeout_s=30)
                return
            except Exception as exc:  # Rasa not up yet: keep trying in the background
                log.info("dialogue warm-up: %s", exc)
                await asyncio.sleep(5)

    async def correct(self, text: str) -> tuple[str, list[Correction]]:
        """The DB's names put back into what Whisper heard, by the API; on any failure the
        caller's words go on as heard (a slower or missing correction must not cost a turn)."""
        if not self.voice.stt_correct_vocabulary or not text:
            return text, []
        self.stats.corrections_asked += 1
        try:
            return await self._ask_correction(text, self.voice.stt_correct_timeout_s)
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            self.stats.corrections_failed += 1
            log.warning("DB names not put back (%s): the words go on as heard", type(exc).__name__)
            return text, []

    async def _ask_correction(self, text: str, timeout_s: float) -> tuple[str, list[Correction]]:
        r = await self.api.post("/api/knowledge/vocabulary/correct", timeout=timeout_s,
                                json={"text": text, "max_distance": self.voice.stt_correct_max_distance})
        r.raise_for_status()
        body = r.json()
        fixes = [Correction(str(f["heard"]), str(f["word"]), float(f["distance"])) for f in body["corrections"]]
        return str(body["text"]), fixes

    async def recognize(self, pcm: np.ndarray) -> Transcript:
        return await asyncio.get_running_loop().run_in_executor(self._stt_pool, self.stt.recognize, pcm)

    async def synthesize(self, text: str) -> np.ndarray:
        return await asyncio.get_running_loop().run_in_executor(self._tts_pool, self.tts.synthesize, text)

    async def create_ticket(self, body: dict[str, Any]) -> dict[str, Any]:
        r = await self.api.post("/api/handoff/tickets", json=body)
        r.raise_for_status()
        return r.json()

    async def close(self) -> None:
        await self.dialogue.close()
        await self.api.aclose()
        self._stt_pool.shutdown(wait=False, cancel_futures=True)
        self._tts_pool.shutdown(wait=False, cancel_futures=True)
