"""Recognition accuracy on real Korean speech (the shared Deeply read-speech sample), one
change to the decode at a time, against plain faster-whisper ``transcribe(beam_size=5)``.

    .venv/svc/bin/python -m training.bench_stt_real --n 40 --codecs mulaw,l16

Each variant recognises the whole clip (after the codec round trip) with one
``DecodeOptions`` change from the shipped decode; "call path" is ``voice_gateway.transcribe``
(codec, VAD endpointing, recognition, DB-name correction) exactly as ``make transcribe``.
CER: character edit distance over the reference's characters, summed over the set, after
keeping only Hangul, Latin letters and digits (punctuation and spaces are not scored).
The audio is CC BY-NC-ND: read from ../shared/data, never written anywhere."""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from minwon.settings import ROOT, Settings

DATA = ROOT.parent / "shared" / "data" / "deeply_korean_read_speech"
_KEEP = re.compile(r"[^0-9A-Za-z가-힣]")


def norm(text: str) -> str:
    return _KEEP.sub("", text)


def corpus() -> list[tuple[Path, str]]:
    """(wav, transcript) for the 300 shared recordings, in files.txt order."""
    meta: dict[str, str] = {}
    for room in json.loads((DATA / "Korean_Read_Speech_Corpus_sample.json").read_text(encoding="utf-8")).values():
        meta.update({k: v["text"] for k, v in room.items()})
    files = [line.strip() for line in (DATA / "files.txt").read_text().splitlines() if line.strip()]
    return [(DATA / "wav" / f, meta[Path(f).stem]) for f in files if Path(f).stem in meta]


def pick(n: int, offset: int = 0) -> list[tuple[Path, str]]:
    """n recordings spread over the set (all three rooms, both speakers)."""
    items = corpus()
    step = max(1, len(items) // n)
    return items[offset::step][:n]


def real_clips(n: int, max_s: float = 4.5, offset: int = 0) -> list[np.ndarray]:
    """Short shared recordings (questions a caller might ask take 1.5-4.5 s) as 16 kHz
    float32, cut to the voice (5% of the clip's peak) so the clip's last sample is the end
    of speech, as the latency benchmark and the call tests need."""
    from devtools.voice_client import trim
    from voice_gateway.transcribe import load_audio

    out = []
    for path, _ref in corpus()[offset:]:
        pcm = load_audio(path)
        if len(pcm) / 16_000 <= max_s + 1.0:
            voiced = trim(pcm, 0.05 * float(np.abs(pcm).max(initial=0.0)))
            if 1.0 <= len(voiced) / 16_000 <= max_s:
                out.append(voiced)
        if len(out) == n:
            break
    return out


class Score:
    def __init__(self) -> None:
        self.edits = self.ref_chars = self.ins = 0
        self.audio_s = self.took_s = 0.0
        self.long = 0  # outputs over 1.4x the reference's length (loops)
        self.empty = 0

    def add(self, ref: str, hyp: str, audio_s: float, took_s: float) -> None:
        r, h = norm(ref), norm(hyp)
        self.edits += Levenshtein.distance(r, h)
        self.ins += sum(1 for op in Levenshtein.editops(r, h) if op.tag == "insert")
        self.ref_chars += len(r)
        self.audio_s += audio_s
        self.took_s += took_s
        self.long += len(h) > 1.4 * len(r)
        self.empty += not h

    def row(self) -> dict[str, Any]:
        return {"cer": round(self.edits / max(1, self.ref_chars), 4),
                "ins_per_char": round(self.ins / max(1, self.ref_chars), 4),
                "rtf": round(self.took_s / max(1e-9, self.audio_s), 3), "over_1.4x": self.long, "empty": self.empty}


def cer(pairs: list[tuple[str, str]]) -> float:
    edits = sum(Levenshtein.distance(norm(r), norm(h)) for r, h in pairs)
    return edits / max(1, sum(len(norm(r)) for r, _h in pairs))


def main() -> None:
    from voice_gateway.stt import DecodeOptions, WhisperSTT
    from voice_gateway.transcribe import Transcriber, codec_round_trip, load_audio

    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=40)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--codecs", default="mulaw,l16")
    p.add_argument("--variants", default="all", help="comma list of variant names, or all")
    p.add_argument("--no-plain", action="store_true", help="skip plain transcribe()")
    p.add_argument("--show", type=int, default=0, help="print this many worst transcripts per variant")
    args = p.parse_args()

    settings = Settings()
    stt = WhisperSTT(settings.voice)
    shipped = stt.options
    old = DecodeOptions(beam_size=1, pad_s=0.5, tokens_per_s=12, repetition_penalty=1.1, no_repeat_ngram_size=4)
    variants: dict[str, DecodeOptions | None] = {
        "old fast path (greedy, 0.5 s pad, 12 tok/s, rep 1.1)": old,
        "old + beam 5": replace(old, beam_size=5),
        "old + 3 s pad": replace(old, pad_s=3.0),
        "3 s pad + beam 5, rep 1.1 + no-repeat 4, 25 tok/s (shipped)": shipped,
        "shipped, greedy": replace(shipped, beam_size=1),
        "shipped, 1 s pad": replace(shipped, pad_s=1.0),
        "shipped, 30 s window": replace(shipped, pad_s=None),
        "shipped, cap 12 tok/s": replace(shipped, tokens_per_s=12),
        "shipped, rep 1.0, no no-repeat": replace(shipped, repetition_penalty=1.0, no_repeat_ngram_size=0),
        "shipped, no-speech/not-Korean filters off": replace(shipped, filters=False),
        "call path (make transcribe), correction off": None,
        "call path, VAD input gain 2, correction off": None,
        "call path, VAD input gain 4, correction off": None,
        "call path (make transcribe), correction on": None,
    }
    if args.variants != "all":
        wanted = args.variants.split(",")
        variants = {k: v for k, v in variants.items() if any(w in k for w in wanted)}
    items = pick(args.n, args.offset)
    clean = Transcriber(settings, stt=stt, correct=False)
    corrected = Transcriber(settings, stt=stt, correct=True)
    report: dict[str, Any] = {"n": len(items), "audio_s": 0.0, "codecs": {}}
    audio = [(load_audio(path), ref, path) for path, ref in items]
    report["audio_s"] = round(sum(len(a) for a, _r, _p in audio) / 16_000, 1)
    for codec in args.codecs.split(","):
        heard = [(codec_round_trip(a, codec), a, ref, path) for a, ref, path in audio]
        rows: dict[str, Any] = {}
        plain = Score()
        for pcm, _a, ref, _p in [] if args.no_plain else heard:
            t0 = time.perf_counter()
            segments, _info = stt.model.transcribe(pcm, language="ko", beam_size=5)
            text = " ".join(s.text.strip() for s in segments)
            plain.add(ref, text, len(pcm) / 16_000, time.perf_counter() - t0)
        rows["plain transcribe(language=ko, beam_size=5)"] = plain.row()
        print(codec, "plain transcribe(language=ko, beam_size=5)", plain.row(), flush=True)
        for name, opts in variants.items():
            score, worst = Score(), []
            for pcm, a, ref, path in heard:
                t0 = time.perf_counter()
                if opts is None:
                    t = corrected if "correction on" in name else clean
                    gain = settings.voice.vad_input_gain
                    if "gain" in name:
                        gain = float(name.split("gain ")[1].split(",")[0])
                    t.voice = t.voice.model_copy(update={"vad_input_gain": gain})
                    text = t.pcm(a, codec)["text"]
                else:
                    stt.options = opts
                    text = stt.recognize(pcm).text
                    stt.options = shipped
                score.add(ref, text, len(pcm) / 16_000, time.perf_counter() - t0)
                worst.append((Levenshtein.normalized_distance(norm(ref), norm(text)), path.name, ref, text))
            rows[name] = score.row()
            print(codec, name, rows[name], flush=True)
            for d, f, ref, text in sorted(worst, reverse=True)[: args.show]:
                print(f"   {d:.2f} {f}\n      ref {ref}\n      hyp {text}", flush=True)
        report["codecs"][codec] = rows
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
