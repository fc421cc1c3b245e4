"""Speech to text with faster-whisper's Whisper (CTranslate2, int8 on the CPU), Korean,
beam search on the speech plus ~3 s of silence, with Whisper's well-known silence hallucinations
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


@dataclass(frozen=True)
class DecodeOptions:
    """How one window is decoded. The defaults are the accurate decode measured on real
    Korean speech (training/bench_stt_real.py, docs/benchmarks.md "Voice on real speech");
    the other values exist so the benchmark can take one change at a time."""

    beam_size: int = 5
    # Digital silence appended after the speech. Whisper was trained on 30-s windows whose
    # speech is followed by padding; with only 0.5 s it decides the text must go on and
    # repeats the sentence (most of the 0.41 CER of the old fast path were insertions).
    # ~3 s gives nearly all of the 30-s accuracy at a fraction of the encoder's cost.
    # ``None`` pads to the full 30-s window as faster-whisper does.
    pad_s: float | None = 3.0
    # Tokens allowed per second of audio. Korean runs ~7 syllables/s and a syllable is one
    # to three byte-level tokens; the cap only stops a runaway loop, the loop cutter below
    # removes repeats at word boundaries.
    tokens_per_s: float = 25.0
    # A mild penalty and no repeated 4-token runs: measured on real speech they remove
    # most insertions (loops) without the losses of the 0.5-s window (0.178 → 0.168 CER).
    repetition_penalty: float = 1.1
    no_repeat_ngram_size: int = 4
    # The "no speech" and "not Korean" filters (the hallucination guard always stays).
    filters: bool = True


def decode_tokens(tokenizer: object, tokens: list[int]) -> str:
    """Whisper's byte-level tokens to text, dropping a trailing incomplete UTF-8 sequence
    (a Korean syllable is three bytes and can be split between tokens: decoding a cut
    sequence gave "다\ufffd")."""
    text = tokenizer.decode(tokens)  # type: ignore[attr-defined]
    return text.replace("\ufffd", "").strip()


def cut_loops(text: str, min_words: int = 1) -> str:
    """Whisper's loops ("여기 사당역인데 여기 사당역인데 여기 4당역인데") cut at word boundaries:
    a run of words repeated right after itself is kept once. Words that are merely
    similar are left alone (one misheard word in a loop is kept in the first copy)."""
    words = text.split()
    changed = True
    while changed:
        changed = False
        n = len(words)
        for size in range(max(1, min_words), n // 2 + 1):
            for i in range(0, n - 2 * size + 1):
                a, b = words[i : i + size], words[i + size : i + 2 * size]
                # single-word repeats only when long enough to not be Korean emphasis ("정말 정말")
                if a == b and (size > 1 or len(a[0]) >= 3):
                    words = words[: i + size] + words[i + 2 * size :]
                    changed = True
                    break
            if changed:
                break
    return " ".join(words)


class WhisperSTT:
    def __init__(self, settings: VoiceSettings, vocabulary: list[str] | None = None,
                 options: DecodeOptions | None = None) -> None:
        from faster_whisper import WhisperModel

        from voice_gateway.models import embedded_whisper_base

        path = Path(settings.stt_model) if settings.stt_model else embedded_whisper_base()
        self.settings = settings
        self.options = options or DecodeOptions(beam_size=settings.stt_beam_size)
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
        16 kHz. Beam search without sampling, so the same audio always gives the same words.

        Longer than one Whisper window, the speech is cut at its pauses (Silero VAD) into
        windows that are each recognized the same way. faster-whisper's own path was
        not kept: its temperature fallback samples at random, so the words changed from run
        to run, and it always pays for a 30-s encoder pass."""
        t0 = time.perf_counter()
        seconds = len(pcm) / SAMPLE_RATE
        if seconds < 0.2 or not np.isfinite(pcm).all() or float(np.abs(pcm).max(initial=0.0)) < 1e-4:
            return Transcript("", seconds, time.perf_counter() - t0, True)
        pcm = pcm.astype(np.float32, copy=False)
        pieces = [pcm] if seconds <= WINDOW_S - (self.options.pad_s or 0.0) else speech_windows(pcm, self.settings)
        texts = [text for text in (self._recognize_window(piece) for piece in pieces) if text]
        text = " ".join(texts)
        no_speech = not text
        return Transcript(text, seconds, time.perf_counter() - t0, no_speech)

    def _recognize_window(self, pcm: np.ndarray) -> str:
        """The encoder takes the speech plus ``pad_s`` of silence (CTranslate2 accepts a
        mel shorter than 30 s by slicing the positional embeddings), then a beam search.
        Returns "" for no speech."""
        import ctranslate2

        opts = self.options
        seconds = len(pcm) / SAMPLE_RATE
        if seconds < 0.2:
            return ""
        if opts.pad_s is None:
            fe = self.model.feature_extractor  # zero-padded to the 30-s window, as transcribe() does
            feats = fe(pcm, padding=fe.n_samples)[:, : fe.nb_max_frames]
        else:
            audio = np.concatenate([pcm, np.zeros(int(SAMPLE_RATE * opts.pad_s), dtype=np.float32)])
            feats = self.model.feature_extractor(audio, padding=0)
            feats = feats[:, : feats.shape[1] - feats.shape[1] % 2]
        encoded = self.model.model.encode(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(feats[None].astype(np.float32))), to_cpu=False
        )
        prompt = list(self._sot)
        if self.prompt:
            prompt = [self._tokenizer.sot_prev, *self._tokenizer.encode(" " + self.prompt)[-100:], *prompt]
        max_length = int(seconds * opts.tokens_per_s) + 10
        result = self.model.model.generate(
            encoded, [prompt], beam_size=opts.beam_size, max_length=max_length,
            repetition_penalty=opts.repetition_penalty, no_repeat_ngram_size=opts.no_repeat_ngram_size,
            return_scores=True, return_no_speech_prob=True, suppress_blank=True, suppress_tokens=[-1],
        )[0]
        ids = result.sequences_ids[0]
        tokens = [t for t in ids if t < self._tokenizer.eot]
        text = decode_tokens(self._tokenizer, tokens)
        if len(ids) >= max_length - len(prompt) - 1 and " " in text:
            text = text.rsplit(" ", 1)[0]  # stopped by the cap: the last word may be cut
        text = cut_loops(text)
        if not text or is_hallucination(text):
            return ""
        if opts.filters and (
            # Whisper's own rule: "no speech" only counts when the text is unlikely too.
            (result.no_speech_prob > 0.6 and result.scores[0] < -1.0) or not_korean(text)
        ):
            return ""
        return text


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
