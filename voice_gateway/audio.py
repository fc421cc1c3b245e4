"""Telephone audio in and out: G.711 μ-law/A-law at 8 kHz and 16-bit PCM at 16 kHz on the
wire, mono float32 at 16 kHz inside (what the VAD, Whisper and the TTS use).

G.711 comes from the standard library's audioop (C; deprecated for 3.13, where the
``audioop-lts`` package provides the same module). 8 ↔ 16 kHz is a factor of two, done
with one short linear-phase FIR low-pass (scipy) whose state is kept between 20 ms frames:
under 1 ms of delay and no clicks at frame edges. (libsoxr's streaming resampler was tried
first: its good qualities hand audio back in ~100 ms blocks, which a phone call cannot
afford.)"""

from __future__ import annotations

import io
import warnings
import wave
from dataclasses import dataclass, field

import numpy as np
from scipy.signal import firwin, lfilter, resample_poly

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

INTERNAL_RATE = 16_000
# Largest media payload accepted in one frame: 1 s of 16 kHz PCM. Telephony sends 20 ms.
MAX_FRAME_BYTES = 32_000


class AudioFormatError(ValueError):
    """An encoding or sample rate the gateway does not speak."""


# encoding name → (sample rate the encoding is defined at, bytes per sample)
ENCODINGS: dict[str, tuple[int, int]] = {
    "audio/x-mulaw": (8_000, 1),
    "audio/x-alaw": (8_000, 1),
    "audio/l16": (16_000, 2),
}


def to_int16(pcm: np.ndarray) -> bytes:
    return (np.clip(pcm, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def from_int16(data: bytes) -> np.ndarray:
    if len(data) % 2:
        data = data[:-1]
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


# 31 taps at 16 kHz, cut-off 3.6 kHz: the telephone band, and the anti-alias / anti-image
# filter for the factor-two rate change.
_FIR = firwin(31, 3600, fs=INTERNAL_RATE).astype(np.float64)


class HalfBand:
    """Streaming 16 kHz → 8 kHz (``down``) or 8 kHz → 16 kHz (``up``) with filter state."""

    def __init__(self) -> None:
        self._zi = np.zeros(len(_FIR) - 1)
        self._phase = 0

    def down(self, pcm: np.ndarray) -> np.ndarray:
        y, self._zi = lfilter(_FIR, 1.0, pcm.astype(np.float64), zi=self._zi)
        out = y[self._phase :: 2]
        self._phase = (self._phase + len(pcm)) % 2
        return out.astype(np.float32)

    def up(self, pcm: np.ndarray) -> np.ndarray:
        stuffed = np.zeros(2 * len(pcm))
        stuffed[::2] = pcm
        y, self._zi = lfilter(2.0 * _FIR, 1.0, stuffed, zi=self._zi)
        return y.astype(np.float32)


@dataclass
class Codec:
    """One direction-pair of a call's audio: decodes what the caller sends into internal
    audio and encodes ours for the caller, resampling with state on both sides."""

    encoding: str
    sample_rate: int
    _down: HalfBand | None = field(default=None, repr=False)
    _up: HalfBand | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.encoding not in ENCODINGS:
            raise AudioFormatError(
                f"지원하지 않는 음성 형식입니다: {self.encoding!r} (지원: {', '.join(ENCODINGS)})"
            )
        rate, _ = ENCODINGS[self.encoding]
        if self.sample_rate != rate:
            raise AudioFormatError(
                f"{self.encoding}는 {rate} Hz로만 받을 수 있습니다 (받은 값: {self.sample_rate} Hz)"
            )
        if self.sample_rate != INTERNAL_RATE:
            self._up, self._down = HalfBand(), HalfBand()

    @property
    def bytes_per_sample(self) -> int:
        return ENCODINGS[self.encoding][1]

    def decode(self, payload: bytes) -> np.ndarray:
        """Wire bytes → float32 at 16 kHz. A truncated last sample is dropped."""
        if self.encoding == "audio/x-mulaw":
            linear = audioop.ulaw2lin(payload, 2)
        elif self.encoding == "audio/x-alaw":
            linear = audioop.alaw2lin(payload, 2)
        else:
            linear = payload
        pcm = from_int16(linear)
        if self._up is not None:
            pcm = self._up.up(pcm)
        return pcm.astype(np.float32, copy=False)

    def encode(self, pcm: np.ndarray) -> bytes:
        """float32 at 16 kHz → wire bytes."""
        if self._down is not None:
            pcm = self._down.down(pcm)
        linear = to_int16(pcm)
        if self.encoding == "audio/x-mulaw":
            return audioop.lin2ulaw(linear, 2)
        if self.encoding == "audio/x-alaw":
            return audioop.lin2alaw(linear, 2)
        return linear

    def frame_bytes(self, ms: int = 20) -> int:
        return self.sample_rate * ms // 1000 * self.bytes_per_sample

    def silence(self, ms: int = 20) -> bytes:
        return self.encode(np.zeros(INTERNAL_RATE * ms // 1000, dtype=np.float32))


def resample(pcm: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    if rate_in == rate_out:
        return pcm.astype(np.float32, copy=False)
    g = int(np.gcd(rate_in, rate_out))
    return resample_poly(pcm.astype(np.float32, copy=False), rate_out // g, rate_in // g).astype(np.float32)


def read_wav(data: bytes) -> tuple[np.ndarray, int]:
    """Mono float32 and the file's rate; stereo is mixed down."""
    with wave.open(io.BytesIO(data)) as w:
        if w.getsampwidth() != 2:
            raise AudioFormatError("16비트 PCM WAV만 받을 수 있습니다")
        rate, channels = w.getframerate(), w.getnchannels()
        pcm = from_int16(w.readframes(w.getnframes()))
    if channels > 1:
        pcm = pcm[: len(pcm) // channels * channels].reshape(-1, channels).mean(axis=1)
    return pcm.astype(np.float32), rate


def wav_bytes(pcm: np.ndarray, rate: int = INTERNAL_RATE) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(to_int16(pcm))
    return buf.getvalue()
