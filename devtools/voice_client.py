"""A caller on the WebSocket media stream, as a PBX would connect one: sends 20 ms frames in
real time (silence between what it says, as a phone line does), presses keys, and keeps
every frame the bot sends with its arrival time. Used by the tests and the benchmark."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import subprocess
import time
import wave
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import websockets
from scipy import signal

from voice_gateway.audio import Codec, resample

FRAME_S = 0.02
SPEECH_RMS = 0.01


def caller_speech(text: str, voice: str = "ko+m3", rate_wpm: int = 110) -> np.ndarray:
    """A caller's question at 16 kHz, spoken by espeak-ng in a different voice from the bot's.
    (Whisper base hears espeak's Korean poorly: tests use words it was measured to get, e.g.
    "아이스팩"; docs/benchmarks.md has the figures.)"""
    wav = subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate_wpm), "--stdout", text],
                         capture_output=True, check=True, timeout=30).stdout
    with wave.open(io.BytesIO(wav)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float32) / 32768
        return trim(resample(pcm, w.getframerate(), 16_000))


def similarity(heard: np.ndarray, reference: np.ndarray) -> float:
    """Peak normalised cross-correlation of ``reference`` (what the bot should have said,
    16 kHz) inside ``heard`` (what reached the caller): near 1 when the very same audio came
    through the codec, near 0 for other speech."""
    if not len(reference):
        return 0.0
    pad = np.zeros(len(reference) // 2, np.float32)
    heard = np.concatenate([pad, heard, pad])
    ref = reference - reference.mean()
    corr = signal.correlate(heard, ref, mode="valid", method="fft")
    cum = np.concatenate([[0.0], np.cumsum(heard.astype(np.float64) ** 2)])
    energy = np.sqrt(np.maximum(cum[len(ref):] - cum[: len(cum) - len(ref)], 0.0))
    return float(np.max(np.abs(corr) / (energy * np.linalg.norm(ref) + 1e-9)))


def trim(pcm: np.ndarray, level: float = 0.01) -> np.ndarray:
    """Cut leading/trailing silence so "end of speech" is the clip's last sample."""
    loud = np.flatnonzero(np.abs(pcm) > level)
    return pcm[loud[0] : loud[-1] + 1] if len(loud) else pcm[:0]


@dataclass
class Frame:
    at: float
    pcm: np.ndarray

    @property
    def loud(self) -> bool:
        return float(np.sqrt(np.mean(self.pcm**2))) > SPEECH_RMS


@dataclass
class MediaStreamCaller:
    url: str
    encoding: str = "audio/x-mulaw"
    rate: int = 8000
    caller: str = "01012345678"
    frames: list[Frame] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    clears: list[float] = field(default_factory=list)
    closed_at: float | None = None

    async def __aenter__(self) -> MediaStreamCaller:
        self.ws = await websockets.connect(self.url, max_size=2**20)
        self.codec_in = Codec(self.encoding, self.rate)   # decodes what the bot sends
        self.codec_out = Codec(self.encoding, self.rate)  # encodes what we say
        await self.ws.send(json.dumps({"event": "start", "start": {
            "callSid": "CA-test", "streamSid": "MZ-test", "from": self.caller,
            "mediaFormat": {"encoding": self.encoding, "sampleRate": self.rate, "channels": 1}}}))
        self._outgoing: list[np.ndarray] = []
        self._receiver = asyncio.create_task(self._receive())
        self._sender = asyncio.create_task(self._send())
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def close(self, stop: bool = True) -> None:
        self._sender.cancel()
        if stop:
            try:
                await self.ws.send(json.dumps({"event": "stop"}))
            except websockets.ConnectionClosed:
                pass
        await self.ws.close()
        self._receiver.cancel()

    async def _receive(self) -> None:
        try:
            async for raw in self.ws:
                msg = json.loads(raw)
                now = time.monotonic()
                if msg.get("event") == "media":
                    self.frames.append(Frame(now, self.codec_in.decode(base64.b64decode(msg["media"]["payload"]))))
                elif msg.get("event") == "clear":
                    self.clears.append(now)
                else:
                    self.events.append({**msg, "_at": now})
        except websockets.ConnectionClosed:
            pass
        self.closed_at = time.monotonic()

    async def _send(self) -> None:
        """One 20 ms frame every 20 ms: what we are saying, else silence."""
        n = int(16_000 * FRAME_S)
        start, sent = time.monotonic(), 0
        pending = np.zeros(0, dtype=np.float32)
        while True:
            if len(pending) < n and self._outgoing:
                pending = np.concatenate([pending, *self._outgoing])
                self._outgoing.clear()
            frame, pending = (pending[:n], pending[n:]) if len(pending) >= n else (np.zeros(n, np.float32), pending)
            payload = base64.b64encode(self.codec_out.encode(frame)).decode("ascii")
            try:
                await self.ws.send(json.dumps({"event": "media", "media": {"payload": payload}}))
            except websockets.ConnectionClosed:
                return
            sent += 1
            self.sent_until = start + sent * FRAME_S
            await asyncio.sleep(max(0.0, start + sent * FRAME_S - time.monotonic()))

    async def say(self, pcm: np.ndarray) -> float:
        """Speak ``pcm`` (16 kHz); returns the monotonic time its last sample went out."""
        self._outgoing.append(pcm.astype(np.float32))
        await asyncio.sleep(len(pcm) / 16_000)
        while self._outgoing:
            await asyncio.sleep(0.005)
        # the sender empties its buffer frame by frame
        await asyncio.sleep(FRAME_S)
        return time.monotonic()

    async def pump(self, pcm: np.ndarray) -> None:
        """Send ``pcm`` as fast as the socket takes it (a misbehaving client)."""
        n = int(16_000 * FRAME_S)
        for i in range(0, len(pcm) - n + 1, n):
            payload = base64.b64encode(self.codec_out.encode(pcm[i : i + n])).decode("ascii")
            await self.ws.send(json.dumps({"event": "media", "media": {"payload": payload}}))

    async def wait_closed(self) -> None:
        while self.closed_at is None:
            await asyncio.sleep(0.05)

    async def dtmf(self, digit: str) -> None:
        await self.ws.send(json.dumps({"event": "dtmf", "dtmf": {"digit": digit}}))

    async def send_raw(self, text: str | bytes) -> None:
        await self.ws.send(text)

    def first_loud_after(self, t: float) -> float | None:
        return next((f.at for f in self.frames if f.at > t and f.loud), None)

    async def wait_quiet(self, quiet_s: float = 1.0, timeout: float = 60.0) -> None:
        """Until the bot has sent nothing loud for ``quiet_s``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = next((f.at for f in reversed(self.frames) if f.loud), None)
            if last is not None and time.monotonic() - last > quiet_s:
                return
            await asyncio.sleep(0.05)
        raise TimeoutError("the bot kept talking")

    async def wait_event(self, kind: str, timeout: float = 30.0, after: float = 0.0, **match: Any) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for e in self.events:
                if e.get("event") == kind and e["_at"] > after and all(e.get(k) == v for k, v in match.items()):
                    return e
            await asyncio.sleep(0.02)
        raise TimeoutError(f"no {kind} event; got {[e.get('event') for e in self.events]}")

    def bot_audio(self, after: float = 0.0, before: float = float("inf")) -> np.ndarray:
        got = [f.pcm for f in self.frames if after < f.at < before]
        return np.concatenate(got) if got else np.zeros(0, np.float32)

    def bot_said(self, after: float = 0.0) -> list[str]:
        return [e["text"] for e in self.events if e.get("event") == "transcript" and e.get("role") == "bot"
                and e["_at"] > after]
