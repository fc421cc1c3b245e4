"""Where the caller's speech starts and ends, as it streams in.

The Silero VAD model is the one faster-whisper ships (``silero_vad_v6.onnx`` in its assets),
run here window by window (512 samples = 32 ms at 16 kHz) with its recurrent state kept
per call, instead of faster-whisper's whole-file pass. The ONNX session is shared by all
calls; only ``h``/``c`` and the context belong to one call."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

import numpy as np

WINDOW = 512  # samples at 16 kHz
CONTEXT = 64
WINDOW_MS = WINDOW * 1000 // 16_000


@lru_cache(maxsize=1)
def _session():  # type: ignore[no-untyped-def]
    import onnxruntime
    from faster_whisper.utils import get_assets_path

    opts = onnxruntime.SessionOptions()
    opts.inter_op_num_threads = 1
    opts.intra_op_num_threads = 1
    opts.log_severity_level = 4
    return onnxruntime.InferenceSession(
        os.path.join(get_assets_path(), "silero_vad_v6.onnx"), providers=["CPUExecutionProvider"], sess_options=opts
    )


_run_lock = threading.Lock()


class StreamingVAD:
    """Speech probability for each 32 ms window of a stream."""

    def __init__(self) -> None:
        self.session = _session()
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)

    def __call__(self, pcm: np.ndarray) -> list[float]:
        """Feed any number of samples; one probability per completed window."""
        buf = np.concatenate([self._pending, pcm.astype(np.float32, copy=False)])
        probs: list[float] = []
        n = len(buf) // WINDOW
        for i in range(n):
            window = buf[i * WINDOW : (i + 1) * WINDOW]
            x = np.concatenate([self._context, window])[None, :]
            with _run_lock:  # one ONNX run at a time keeps the shared session predictable
                out, self._h, self._c = self.session.run(None, {"input": x, "h": self._h, "c": self._c})
            self._context = window[-CONTEXT:]
            probs.append(float(np.asarray(out).reshape(-1)[0]))
        self._pending = buf[n * WINDOW :]
        return probs


class VadEvent(Enum):
    SPEECH_START = "speech_start"
    # Silence long enough to start recognising speculatively (speech may still resume).
    PAUSE = "pause"
    # Speech resumed after a PAUSE: the speculative guess is void.
    RESUME = "resume"
    SPEECH_END = "speech_end"


@dataclass
class EndpointConfig:
    threshold: float = 0.5
    speech_start_ms: int = 96
    early_silence_ms: int = 160
    end_silence_ms: int = 600
    # Audio kept from before the start was confirmed, so the first syllable is not lost.
    preroll_ms: int = 320
    # Gain on what Silero hears (not on what is recognised or recorded). Silero's speech
    # probability depends on level, and band-limited telephone audio at a smartphone's
    # level (peak ~0.15) reads as 0.1-0.3 where the same 16 kHz audio reads 0.7-0.9: a
    # real caller's first sentence was never heard (docs/benchmarks.md).
    input_gain: float = 1.0


class Endpointer:
    """Turns window probabilities into speech start / pause / resume / end, and keeps the
    utterance's audio (with pre-roll) until it ends. Hysteresis: silence must fall below
    ``threshold - 0.15`` to count, as Silero's own streaming iterator does."""

    def __init__(self, cfg: EndpointConfig) -> None:
        self.cfg = cfg
        self.vad = StreamingVAD()
        self.in_speech = False
        self.paused = False
        self._voiced_ms = 0
        self._silent_ms = 0
        self._preroll: list[np.ndarray] = []
        self._utterance: list[np.ndarray] = []
        self._pending = np.zeros(0, dtype=np.float32)
        # Samples of the utterance up to the last voiced window (its end of speech).
        self.speech_samples = 0

    def reset(self) -> None:
        self.in_speech = self.paused = False
        self._voiced_ms = self._silent_ms = 0
        self._preroll, self._utterance = [], []
        self.speech_samples = 0

    def utterance(self) -> np.ndarray:
        return np.concatenate(self._utterance) if self._utterance else np.zeros(0, dtype=np.float32)

    def voiced_audio(self) -> np.ndarray:
        """The utterance up to its last voiced window (what recognition needs)."""
        return self.utterance()[: self.speech_samples + WINDOW]

    @property
    def utterance_ms(self) -> int:
        return sum(len(u) for u in self._utterance) * 1000 // 16_000

    def feed(self, pcm: np.ndarray) -> list[VadEvent]:
        buf = np.concatenate([self._pending, pcm])
        n = len(buf) // WINDOW
        windows = [buf[i * WINDOW : (i + 1) * WINDOW] for i in range(n)]
        self._pending = buf[n * WINDOW :]
        events: list[VadEvent] = []
        heard = np.concatenate(windows) if windows else None
        if heard is not None and self.cfg.input_gain != 1.0:
            heard = np.clip(heard * self.cfg.input_gain, -1.0, 1.0)
        for window, p in zip(windows, self.vad(heard) if heard is not None else [], strict=True):
            events.extend(self._step(window, p))
        return events

    def _step(self, window: np.ndarray, p: float) -> list[VadEvent]:
        cfg = self.cfg
        if not self.in_speech:
            self._preroll.append(window)
            keep = max(1, cfg.preroll_ms // WINDOW_MS)
            self._preroll = self._preroll[-keep:]
            self._voiced_ms = self._voiced_ms + WINDOW_MS if p >= cfg.threshold else 0
            if self._voiced_ms >= cfg.speech_start_ms:
                self.in_speech, self.paused, self._silent_ms = True, False, 0
                self._utterance = list(self._preroll)
                self._preroll = []
                self.speech_samples = sum(len(u) for u in self._utterance)
                return [VadEvent.SPEECH_START]
            return []
        self._utterance.append(window)
        if p >= cfg.threshold - 0.15:
            if p >= cfg.threshold:
                self.speech_samples = sum(len(u) for u in self._utterance)
            self._silent_ms = 0
            if self.paused and p >= cfg.threshold:
                self.paused = False
                return [VadEvent.RESUME]
            return []
        self._silent_ms += WINDOW_MS
        if self._silent_ms >= cfg.end_silence_ms:
            self.in_speech = self.paused = False
            return [VadEvent.SPEECH_END]
        if not self.paused and self._silent_ms >= cfg.early_silence_ms:
            self.paused = True
            return [VadEvent.PAUSE]
        return []
