"""Recordings through exactly the call's recognition path, as a caller would be heard:
the telephone codec round trip (8 kHz μ-law/A-law or 16 kHz linear), the streaming VAD
endpointer in 20 ms frames, ``WhisperSTT.recognize`` on each turn, then the DB-name
correction. One JSON line per file on stdout::

    python -m voice_gateway.transcribe --codec mulaw a.wav b.wav
    {"file": "a.wav", "text": "…", "turns": ["…"], "ms": 812.4}

A file that cannot be read gives ``{"file": …, "error": "…"}`` and the next one goes on;
the exit status is 1 if any file failed."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import wave
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from minwon.settings import ROOT, Settings, VoiceSettings
from voice_gateway.audio import INTERNAL_RATE, AudioFormatError, Codec, read_wav, resample
from voice_gateway.stt import WhisperSTT
from voice_gateway.vad import EndpointConfig, Endpointer

CODECS = {"l16": ("audio/l16", 16_000), "mulaw": ("audio/x-mulaw", 8000), "alaw": ("audio/x-alaw", 8000)}
SAMPLE_DB = ROOT / "knowledge" / "sample_data" / "counseling_db.csv"
FRAME = 320  # 20 ms at 16 kHz, as the transports deliver it


class TranscribeError(ValueError):
    pass


@dataclass
class _Row:
    subcategory: str
    department: str
    keywords: list[str] = field(default_factory=list)


def db_corrector(path: Path = SAMPLE_DB, max_distance: float = 0.25) -> Any:
    """The name correction the API applies for the gateway, built from a counseling DB CSV
    (the same words: minwon.retrieval.vocabulary.db_words)."""
    from minwon.retrieval.vocabulary import VocabularyCorrector, db_words

    with path.open(encoding="utf-8") as f:
        rows = [_Row(r.get("subcategory", ""), r.get("department", ""),
                     [k.strip() for k in (r.get("keywords") or "").split("|")]) for r in csv.DictReader(f)]
    return VocabularyCorrector(db_words(rows), max_distance)


def load_audio(path: Path) -> np.ndarray:
    """A WAV file as 16 kHz float32, or a TranscribeError saying what is wrong."""
    if not path.is_file():
        raise TranscribeError("파일이 없습니다")
    data = path.read_bytes()
    if not data:
        raise TranscribeError("빈 파일입니다")
    try:
        pcm, rate = read_wav(data)
    except (wave.Error, EOFError, AudioFormatError) as exc:
        raise TranscribeError(f"WAV 파일로 읽을 수 없습니다: {exc or type(exc).__name__}") from exc
    if rate < 8000 or not len(pcm):
        raise TranscribeError(f"음성이 없거나 표본화율이 맞지 않습니다 ({rate} Hz, {len(pcm)} 표본)")
    return resample(pcm, rate, INTERNAL_RATE)


def codec_round_trip(pcm: np.ndarray, codec: str) -> np.ndarray:
    """What the gateway hears after the caller's audio crossed the telephone line."""
    encoding, rate = CODECS[codec]
    if codec == "l16":
        return pcm
    c = Codec(encoding, rate)
    out = [c.decode(c.encode(pcm[i : i + FRAME])) for i in range(0, len(pcm), FRAME)]
    return np.concatenate(out) if out else pcm


def endpoint(pcm: np.ndarray, voice: VoiceSettings) -> list[np.ndarray]:
    """The caller's turns as the call's endpointer cuts them (the audio each turn's final
    recognition gets), with a second of silence after the file so the last turn ends."""
    ep = Endpointer(EndpointConfig(threshold=voice.vad_threshold, speech_start_ms=voice.speech_start_ms,
                                   early_silence_ms=voice.early_silence_ms, end_silence_ms=voice.end_silence_ms,
                                   input_gain=voice.vad_input_gain))
    from voice_gateway.vad import VadEvent

    turns: list[np.ndarray] = []
    stream = np.concatenate([pcm, np.zeros(INTERNAL_RATE, dtype=np.float32)])
    for i in range(0, len(stream), FRAME):
        for event in ep.feed(stream[i : i + FRAME]):
            if event is VadEvent.SPEECH_END:
                turns.append(ep.voiced_audio())
                ep.reset()
        if ep.in_speech and ep.utterance_ms > voice.max_utterance_s * 1000:
            turns.append(ep.voiced_audio())
            ep.reset()
    if ep.in_speech:
        turns.append(ep.voiced_audio())
    return turns


class Transcriber:
    def __init__(self, settings: Settings | None = None, stt: WhisperSTT | None = None,
                 corrector: Any = None, correct: bool | None = None) -> None:
        self.voice = (settings or Settings()).voice
        self.stt = stt or WhisperSTT(self.voice)
        use = self.voice.stt_correct_vocabulary if correct is None else correct
        self.corrector = corrector if corrector is not None or not use else db_corrector(
            max_distance=self.voice.stt_correct_max_distance)

    def pcm(self, pcm: np.ndarray, codec: str = "mulaw") -> dict[str, Any]:
        t0 = time.perf_counter()
        turns: list[str] = []
        for audio in endpoint(codec_round_trip(pcm, codec), self.voice):
            result = self.stt.recognize(audio)
            if result.no_speech:
                continue
            text = result.text
            if self.corrector is not None:
                text, _fixes = self.corrector.correct(text)
            turns.append(text)
        return {"text": " ".join(turns), "turns": turns, "ms": round((time.perf_counter() - t0) * 1000, 1)}

    def file(self, path: Path, codec: str = "mulaw") -> dict[str, Any]:
        try:
            return {"file": str(path), **self.pcm(load_audio(path), codec)}
        except TranscribeError as exc:
            return {"file": str(path), "error": str(exc)}


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--codec", default="mulaw", choices=sorted(CODECS))
    p.add_argument("--no-correct", action="store_true", help="without the DB-name correction")
    args = p.parse_args(argv)
    transcriber = Transcriber(correct=False if args.no_correct else None)
    failed = False
    for path in args.files:
        line = transcriber.file(path, args.codec)
        failed |= "error" in line
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
