"""Text to speech behind one interface: espeak-ng Korean (Debian's espeak-ng, the embedded
default) or coqui-tts from a model directory (optional extra). Text is first rewritten for
the ear (speech_text.to_speech); fixed prompts are cached."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import threading
import wave
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import numpy as np
from scipy.signal import resample_poly

from minwon.settings import VoiceSettings
from voice_gateway.speech_text import to_speech

SAMPLE_RATE = 16_000


class TTSError(RuntimeError):
    pass


class TTSEngine(Protocol):
    def synthesize(self, text: str) -> np.ndarray: ...  # mono float32, 16 kHz


class EspeakTTS:
    def __init__(self, voice: str = "ko", rate_wpm: int = 150) -> None:
        self.binary = shutil.which("espeak-ng")
        if self.binary is None:
            raise TTSError("espeak-ng is not installed (apt-get install espeak-ng)")
        self.voice, self.rate = voice, rate_wpm

    def synthesize(self, text: str) -> np.ndarray:
        spoken = to_speech(text)
        if not spoken.strip():
            return np.zeros(0, dtype=np.float32)
        proc = subprocess.run(
            [self.binary, "-v", self.voice, "-s", str(self.rate), "--stdout", spoken],
            capture_output=True,
            timeout=30,
            check=False,
        )
        if proc.returncode or not proc.stdout:
            raise TTSError(f"espeak-ng failed: {proc.stderr.decode(errors='replace')[:200]}")
        with wave.open(io.BytesIO(proc.stdout)) as w:
            rate = w.getframerate()
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
        if rate != SAMPLE_RATE:
            g = np.gcd(rate, SAMPLE_RATE)
            pcm = resample_poly(pcm, SAMPLE_RATE // g, rate // g).astype(np.float32)
        return trim_leading_silence(pcm)


class CoquiTTS:
    """coqui-tts (e.g. a Korean VITS a deployment trained or licensed) run by
    ``voice_gateway.coqui_worker`` under the optional venv's Python, over a pipe: torch
    stays out of the gateway's venv, and a crash in the model is a worker restart, not a
    gateway crash."""

    def __init__(self, model_dir: str, python: str, timeout_s: float = 30.0) -> None:
        if not model_dir or not Path(model_dir).is_dir():
            raise TTSError(f"coqui-tts needs a model directory (voice.tts_model_path): {model_dir!r}")
        if not Path(python).exists():
            raise TTSError(f"coqui-tts runs under {python}, which is missing (bash scripts/bootstrap.sh coqui)")
        self.cmd = [python, "-m", "voice_gateway.coqui_worker", "--model", model_dir]
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._start()

    def _start(self) -> None:
        root = Path(__file__).resolve().parent.parent
        self._proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
        hello = self._read_header()
        if "error" in hello:
            raise TTSError(f"coqui-tts could not load the model: {hello['error']}")

    def _read_header(self) -> dict:
        assert self._proc is not None and self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise TTSError("the coqui-tts worker stopped")
        return json.loads(line)

    def synthesize(self, text: str) -> np.ndarray:
        spoken = to_speech(text)
        if not spoken.strip():
            return np.zeros(0, dtype=np.float32)
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._start()
            assert self._proc is not None and self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.write((json.dumps({"text": spoken}, ensure_ascii=False) + "\n").encode())
            self._proc.stdin.flush()
            head = self._read_header()
            if "error" in head:
                raise TTSError(f"coqui-tts: {head['error']}")
            raw = self._proc.stdout.read(4 * int(head["samples"]))
        pcm = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        rate = int(head["rate"])
        if rate != SAMPLE_RATE and len(pcm):
            g = np.gcd(rate, SAMPLE_RATE)
            pcm = resample_poly(pcm, SAMPLE_RATE // g, rate // g).astype(np.float32)
        peak = float(np.abs(pcm).max(initial=0.0))
        return trim_leading_silence(pcm / peak * 0.9 if peak > 1.0 else pcm)

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()


def trim_leading_silence(pcm: np.ndarray, level: float = 0.005, keep_ms: int = 20) -> np.ndarray:
    """espeak starts with ~100 ms of silence; on a phone line that is pure added latency."""
    loud = np.flatnonzero(np.abs(pcm) > level)
    if not len(loud):
        return pcm
    return pcm[max(0, int(loud[0]) - SAMPLE_RATE * keep_ms // 1000) :]


class CachedTTS:
    """Prompts the bot says again and again (greeting, reprompt, goodbye) and popular answers
    are made once. Bounded by the audio it holds, not by the number of texts: a long answer
    is 0.5 MB of samples, and a count-bounded cache grew the gateway by ~100 MB in the
    200-call soak."""

    def __init__(self, engine: TTSEngine, max_bytes: int = 32 * 2**20) -> None:
        self.engine = engine
        self.max_bytes = max_bytes
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def synthesize(self, text: str) -> np.ndarray:
        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        pcm = self.engine.synthesize(text)
        with self._lock:
            if text not in self._cache and pcm.nbytes <= self.max_bytes // 4:
                self._cache[text] = pcm
                self._bytes += pcm.nbytes
                while self._bytes > self.max_bytes:
                    _old, dropped = self._cache.popitem(last=False)
                    self._bytes -= dropped.nbytes
            return self._cache.get(text, pcm)


_SENTENCE_END = re.compile(r"(?<=[.?!。])\s+")


def sentences(text: str, min_chars: int = 12) -> list[str]:
    """The reply in sentence-sized pieces, so the first can play while the rest are made.
    Very short pieces ride with the next one (espeak pauses oddly between them)."""
    out: list[str] = []
    carry = ""
    for piece in _SENTENCE_END.split(text.strip()):
        carry = f"{carry} {piece}".strip() if carry else piece.strip()
        if len(carry) >= min_chars:
            out.append(carry)
            carry = ""
    if carry:
        if out and len(carry) < min_chars:
            out[-1] = f"{out[-1]} {carry}"
        else:
            out.append(carry)
    return [p for p in out if p]


def make_tts(settings: VoiceSettings) -> CachedTTS:
    if settings.tts_engine == "coqui":
        return CachedTTS(CoquiTTS(settings.tts_model_path, settings.tts_python))
    return CachedTTS(EspeakTTS(settings.tts_voice, settings.tts_rate_wpm))
