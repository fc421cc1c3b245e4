"""Speech to text with faster-whisper's Whisper (CTranslate2, int8 on the CPU), Korean,
decoded greedily on exact-length input, with Whisper's well-known silence hallucinations
filtered out."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from minwon.settings import VoiceSettings

SAMPLE_RATE = 16_000
WINDOW_S = 29.0  # Whisper hears 30 s at most; the rest is the half second of padding
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


_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"[A-Za-z]")
# Korean sentence endings (polite and plain) and final punctuation: a pause after one of
# these is very likely the end of the caller's turn.
_COMPLETE = re.compile(r"([.?!]|(요|다|까|죠|니다|세요|나요|해요|데요|어요|아요|구요|고요|네요))\s*[.?!]?$")


def not_korean(text: str) -> bool:
    """Whisper forced to Korean still writes English on audio it cannot make out; a caller
    saying "KTX" or "QR" still has Hangul around it."""
    hangul, latin = len(_HANGUL.findall(text)), len(_LATIN.findall(text))
    return latin > 8 and hangul < latin


def looks_complete(text: str) -> bool:
    return bool(_COMPLETE.search(text.strip()))


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
        from faster_whisper.tokenizer import Tokenizer

        self._tokenizer = Tokenizer(self.model.hf_tokenizer, True, task="transcribe", language="ko")
        self._sot = [*self._tokenizer.sot_sequence, self._tokenizer.no_timestamps]

    def recognize(self, pcm: np.ndarray) -> Transcript:
        """One caller utterance (already cut by the endpointer): ``pcm`` is mono float32 at
        16 kHz. Greedy decoding, so the same audio always gives the same words.

        Longer than one Whisper window, the speech is cut at its pauses (Silero VAD) into
        windows that are each recognized the same way. faster-whisper's own padded path was
        not kept for that: on espeak-made speech it heard less than this one, and its
        temperature fallback samples at random, so the words (and the test) changed from
        run to run and a 3-s question took 4 s on the CI machine."""
        t0 = time.perf_counter()
        seconds = len(pcm) / SAMPLE_RATE
        if seconds < 0.2 or not np.isfinite(pcm).all() or float(np.abs(pcm).max(initial=0.0)) < 1e-4:
            return Transcript("", seconds, time.perf_counter() - t0, True)
        pcm = pcm.astype(np.float32, copy=False)
        pieces = [pcm] if seconds <= WINDOW_S else speech_windows(pcm, self.settings)
        texts = [text for text in (self._recognize_window(piece) for piece in pieces) if text]
        text = " ".join(texts)
        no_speech = not text
        return Transcript(text, seconds, time.perf_counter() - t0, no_speech)

    def _recognize_window(self, pcm: np.ndarray) -> str:
        """faster-whisper pads every input to Whisper's 30-s window, so the encoder costs
        ~0.7 s on this CPU whatever the utterance's length. CTranslate2 accepts a shorter
        mel input (it slices the positional embeddings), which takes the encoder to
        ~30 ms for a 3-s question, with no loss measured (docs/benchmarks.md). Greedy
        decoding with a length cap proportional to the audio and a repetition penalty
        keeps Whisper from looping. Returns "" for no speech."""
        import ctranslate2

        seconds = len(pcm) / SAMPLE_RATE
        if seconds < 0.2:
            return ""
        # Half a second of silence after the speech, as the padding Whisper was trained with.
        audio = np.concatenate([pcm, np.zeros(SAMPLE_RATE // 2, dtype=np.float32)])
        feats = self.model.feature_extractor(audio, padding=0)
        feats = feats[:, : feats.shape[1] - feats.shape[1] % 2]
        encoded = self.model.model.encode(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(feats[None].astype(np.float32))), to_cpu=False
        )
        prompt = list(self._sot)
        if self.prompt:
            prompt = [self._tokenizer.sot_prev, *self._tokenizer.encode(" " + self.prompt)[-100:], *prompt]
        result = self.model.model.generate(
            encoded, [prompt], beam_size=self.settings.stt_beam_size, max_length=int(seconds * 12) + 10,
            repetition_penalty=1.1, no_repeat_ngram_size=4, return_scores=True, return_no_speech_prob=True,
            suppress_blank=True, suppress_tokens=[-1],
        )[0]
        tokens = [t for t in result.sequences_ids[0] if t < self._tokenizer.eot]
        text = self._tokenizer.decode(tokens).strip()
        no_speech = (
            # Whisper's own rule: "no speech" only counts when the text is unlikely too.
            not text or is_hallucination(text) or (result.no_speech_prob > 0.6 and result.scores[0] < -1.0)
            or not_korean(text)
        )
        return "" if no_speech else text


def speech_windows(pcm: np.ndarray, settings: VoiceSettings) -> list[np.ndarray]:
    """A long utterance as windows Whisper can take whole: the speech Silero VAD finds
    (with a little of the pause around it, and long silences left out), joined while a
    window stays under 29 s."""
    from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

    spans = get_speech_timestamps(pcm, VadOptions(
        threshold=settings.vad_threshold, min_silence_duration_ms=settings.vad_min_silence_ms,
        max_speech_duration_s=WINDOW_S - 1, speech_pad_ms=200,
    ))
    windows, _ = collect_chunks(pcm, spans, max_duration=WINDOW_S)
    return windows
