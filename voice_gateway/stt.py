"""Speech to text with faster-whisper (CTranslate2, int8 on the CPU), Korean, with the
counseling DB's vocabulary as a prompt and Whisper's well-known silence hallucinations
filtered out."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from minwon.settings import VoiceSettings

SAMPLE_RATE = 16_000
# What Whisper says when it hears silence or noise (learnt from subtitled videos). A
# transcript made only of these is no speech at all.
HALLUCINATIONS = (
    "시청해주셔서 감사합니다",
    "시청해 주셔서 감사합니다",
    "구독과 좋아요",
    "구독 좋아요",
    "다음 영상에서 만나요",
    "MBC 뉴스",
    "KBS 뉴스",
    "SBS 뉴스",
    "이 시각 세계였습니다",
    "자막 제공",
    "감사합니다",
)
_PUNCT = re.compile(r"[\s.,!?~…'\"]+")


def is_hallucination(text: str) -> bool:
    core = _PUNCT.sub("", text)
    if not core:
        return True
    return any(
        core == _PUNCT.sub("", h) or (len(core) <= len(_PUNCT.sub("", h)) + 6 and _PUNCT.sub("", h) in core)
        for h in HALLUCINATIONS
    )


@dataclass
class Transcript:
    text: str
    seconds: float  # audio length
    took_s: float
    no_speech: bool

    @property
    def rtf(self) -> float:
        return self.took_s / self.seconds if self.seconds else 0.0


class WhisperSTT:
    def __init__(self, settings: VoiceSettings, vocabulary: list[str] | None = None) -> None:
        from faster_whisper import WhisperModel

        from voice_gateway.models import embedded_whisper_base

        path = Path(settings.stt_model) if settings.stt_model else embedded_whisper_base()
        self.settings = settings
        self.model = WhisperModel(
            str(path), device="cpu", compute_type=settings.stt_compute_type, cpu_threads=settings.stt_threads
        )
        # Whisper reads the prompt as preceding text: names in it become likelier. First
        # measurement (espeak-made speech): with a prompt of DB names Whisper answered
        # "여권민원" for "수도요금이 너무 많이 나왔는데요", so it is off by default.
        self.prompt = " ".join(vocabulary[:60]) if vocabulary and settings.stt_use_db_vocabulary else None

    def transcribe(self, pcm: np.ndarray, vad: bool = True) -> Transcript:
        """``pcm``: mono float32 at 16 kHz."""
        t0 = time.perf_counter()
        seconds = len(pcm) / SAMPLE_RATE
        if seconds < 0.2 or not np.isfinite(pcm).all() or float(np.abs(pcm).max(initial=0.0)) < 1e-4:
            return Transcript("", seconds, time.perf_counter() - t0, True)
        segments, _info = self.model.transcribe(
            pcm.astype(np.float32),
            language="ko",
            beam_size=self.settings.stt_beam_size,
            vad_filter=vad,
            vad_parameters={
                "threshold": self.settings.vad_threshold,
                "min_silence_duration_ms": self.settings.vad_min_silence_ms,
            },
            initial_prompt=self.prompt,
            condition_on_previous_text=False,
            without_timestamps=True,
        )
        kept = [s.text.strip() for s in segments if s.no_speech_prob < 0.6 and s.avg_logprob > -1.2]
        text = " ".join(t for t in kept if t).strip()
        no_speech = not text or is_hallucination(text)
        return Transcript("" if no_speech else text, seconds, time.perf_counter() - t0, no_speech)


def db_vocabulary(engine) -> list[str]:  # type: ignore[no-untyped-def]
    """Department, sub-topic and keyword names from the counseling DB (place and programme
    names Whisper would otherwise misspell)."""
    from minwon.knowledge.store import active_docs

    words: dict[str, None] = {}
    for d in active_docs(engine):
        for w in (d.subcategory, d.department, *d.keywords):
            if w and len(w) <= 12:
                words[w] = None
    return list(words)
