"""Voicebot figures (issue #5), against the real stack (API, action server, Rasa, voice
gateway) started here:

- latency: end of the caller's speech → first reply audio at the caller, over the WebSocket
  media stream in μ-law 8 kHz and L16 16 kHz, with the gateway's per-stage split (VAD tail,
  waiting for STT, STT, dialogue, first TTS chunk);
- concurrency: the same with 1, 2, 4, 8 callers talking at once;
- stt: Whisper's real-time factor by utterance length, and the memory it takes;
- accuracy: CER and right-answer rate on held-out questions spoken by espeak-ng (a floor:
  espeak's Korean is far from a person's), with and without the DB-vocabulary prompt, and
  with the DB's names put back into the transcript (minwon/retrieval/vocabulary.py);
- soak: 200 calls (half hang up mid-reply, some send a 10-minute monologue faster than real
  time), the gateway's memory and threads before and after.

    .venv/svc/bin/python -m training.bench_voice [--model models/x.tar.gz] [--parts latency,stt,...]

Last line: JSON with every figure."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from devtools.stack import free_port, running_bot
from devtools.voice_client import MediaStreamCaller, caller_speech
from minwon.settings import ROOT, VoiceSettings
from voice_gateway.audio import Codec

HELDOUT = ROOT / "knowledge" / "sample_data" / "heldout_questions.csv"
STAGES = ("vad_tail_ms", "stt_wait_ms", "stt_ms", "dialogue_ms", "tts_first_ms", "first_audio_ms")


def pct(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 1) if values else None


def summary(values: list[float]) -> dict[str, Any]:
    return {"n": len(values), "p50": pct(values, 50), "p95": pct(values, 95), "max": pct(values, 100)}


def questions(n: int, seed: int = 7) -> list[str]:
    with HELDOUT.open(encoding="utf-8") as f:
        rows = [r["query"] for r in csv.DictReader(f) if 4 <= len(r["query"]) <= 30]
    random.Random(seed).shuffle(rows)
    return rows[:n]


def proc_status(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "Threads"):
            out[key] = int(value.split()[0])
    out["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    return out


async def one_call(url: str, speech: list[np.ndarray], encoding: str, rate: int) -> list[dict[str, Any]]:
    """A caller who speaks over the greeting (barge-in), then asks each question once the
    previous answer has started; one sample per question."""
    samples = []
    async with MediaStreamCaller(url, encoding=encoding, rate=rate) as c:
        await c.wait_event("started")
        await asyncio.sleep(0.4)
        for pcm in speech:
            end = await c.say(pcm)
            try:
                timing = await c.wait_event("timing", after=end, timeout=20)
            except TimeoutError:
                samples.append({"client_ms": None})
                continue
            first = c.first_loud_after(end)
            samples.append({"client_ms": round((first - end) * 1000, 1) if first else None,
                            **{k: timing.get(k) for k in STAGES}, "speculative": timing.get("speculative")})
            await asyncio.sleep(1.2)  # let the answer play a little, then interrupt it
    return samples


def utterances(n: int, seed: int, real: bool) -> list[np.ndarray]:
    """What the callers say: shared real recordings (two women, three rooms, by smartphone;
    training/bench_stt_real.py) or espeak-ng reading held-out questions."""
    if real:
        from training.bench_stt_real import real_clips

        clips = real_clips(64)
        random.Random(seed).shuffle(clips)
        return [clips[i % len(clips)] for i in range(n)]
    return [caller_speech(q) for q in questions(n, seed)]


async def latency(url: str, calls: int, encoding: str, rate: int, real: bool = True) -> dict[str, Any]:
    said = utterances(calls * 2, 7, real)
    samples: list[dict[str, Any]] = []
    for i in range(calls):
        samples += await one_call(url, said[2 * i : 2 * i + 2], encoding, rate)
    return collate(samples)


def collate(samples: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"client_eos_to_first_audio_ms": summary([s["client_ms"] for s in samples
                                                                    if s.get("client_ms") is not None]),
                           "no_reply": sum(1 for s in samples if s.get("client_ms") is None)}
    for k in STAGES:
        out[k] = summary([s[k] for s in samples if s.get(k) is not None])
    out["speculative_share"] = round(np.mean([bool(s.get("speculative")) for s in samples]), 2) if samples else None
    return out


async def concurrency(url: str, levels: list[int], real: bool = True) -> dict[str, Any]:
    out = {}
    said = utterances(64, 11, real)
    for k in levels:
        speech = [[said[(j * 3 + m) % len(said)] for m in range(3)] for j in range(k)]

        async def caller(j: int, said: list[np.ndarray]) -> list[dict[str, Any]]:
            await asyncio.sleep(random.Random(j).uniform(0, 1.5))  # not all in lockstep
            return await one_call(url, said, "audio/x-mulaw", 8000)

        results = await asyncio.gather(*(caller(j, speech[j]) for j in range(k)))
        out[str(k)] = collate([s for r in results for s in r])
        print(f"concurrency {k}: {out[str(k)]['client_eos_to_first_audio_ms']}", flush=True)
    return out


def stt_figures() -> dict[str, Any]:
    from voice_gateway.stt import WhisperSTT

    before = proc_status(os.getpid())["VmRSS"]
    stt = WhisperSTT(VoiceSettings())
    stt.recognize(caller_speech("안녕하세요"))
    after = proc_status(os.getpid())["VmRSS"]
    texts = {"1 s": "여권", "2 s": "아이스팩 어떻게 버려요", "4 s": "수도요금이 너무 많이 나왔는데 확인해 주세요",
             "8 s": "제가 어제 수도요금 고지서를 받았는데 평소보다 두 배 넘게 나왔어요 왜 그런지 확인 좀 해 주세요"}
    out: dict[str, Any] = {"model_rss_mb": round((after - before) / 1024, 1)}
    for label, text in texts.items():
        pcm = caller_speech(text)
        took = [stt.recognize(pcm).took_s for _ in range(5)]
        out[label] = {"audio_s": round(len(pcm) / 16_000, 2), "took_ms_p50": round(float(np.median(took)) * 1000, 1),
                      "rtf": round(float(np.median(took)) / (len(pcm) / 16_000), 3)}
    return out


def cer(ref: str, hyp: str) -> float:
    import re

    a, b = re.sub(r"[\s.,!?~]", "", ref), re.sub(r"[\s.,!?~]", "", hyp)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] / max(1, len(a))


def accuracy(rasa_url: str, api_url: str, n: int) -> dict[str, Any]:
    """Each question is recognised once per codec and prompt setting; without the prompt its
    transcript goes to the bot twice, as heard and with the DB's names put back (the
    gateway's default)."""
    from minwon.retrieval.vocabulary import VocabularyCorrector
    from voice_gateway.stt import WhisperSTT

    with HELDOUT.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["expected_entry_id"]][:: max(1, 340 // n)][:n]
    words = httpx.get(f"{api_url}/api/knowledge/vocabulary", timeout=10).json()["words"]
    corrector = VocabularyCorrector(words)
    mu = Codec("audio/x-mulaw", 8000)

    def answered(text: str) -> str | None:
        replies = httpx.post(f"{rasa_url}/webhooks/rest/webhook", timeout=30,
                             json={"sender": f"bench-acc-{time.time_ns()}", "message": text or "-"}).json()
        got = [m["custom"].get("entry_id") for m in replies
               if isinstance(m.get("custom"), dict) and m["custom"].get("minwon") == "answer"]
        return got[0] if got else None

    out: dict[str, Any] = {}
    for prompt in (False, True):
        stt = WhisperSTT(VoiceSettings(stt_use_db_vocabulary=prompt), vocabulary=words if prompt else None)
        for name in ("l16_16k", "mulaw_8k"):
            cers, right, fixed_cers, fixed_right, changed = [], 0, [], 0, []
            for r in rows:
                pcm = caller_speech(r["query"])
                if name == "mulaw_8k":
                    pcm = mu.decode(mu.encode(pcm))
                text = stt.recognize(pcm).text
                cers.append(cer(r["query"], text))
                got = answered(text)
                right += got == r["expected_entry_id"]
                if not prompt:
                    fixed, fixes = corrector.correct(text)
                    fixed_cers.append(cer(r["query"], fixed))
                    fixed_right += (answered(fixed) if fixes else got) == r["expected_entry_id"]
                    changed += [f"{f.heard}→{f.word}" for f in fixes]
            key = f"{name}{'_db_prompt' if prompt else ''}"
            out[key] = {"n": len(rows), "cer_mean": round(float(np.mean(cers)), 3),
                        "right_answer": round(right / len(rows), 3)}
            if not prompt:
                out[f"{name}_names_put_back"] = {
                    "n": len(rows), "cer_mean": round(float(np.mean(fixed_cers)), 3),
                    "right_answer": round(fixed_right / len(rows), 3), "corrections": changed}
            print(key, out[key], "" if prompt else out[f"{name}_names_put_back"], flush=True)
    return out


async def soak(url: str, pid: int, calls: int, monologue_s: int = 600) -> dict[str, Any]:
    """Short calls four at a time; every other one hangs up while the bot is talking; every
    50th sends a 10-minute monologue as fast as the socket takes it."""
    speech = caller_speech("아이스팩 어떻게 버려요")
    marks: dict[str, Any] = {"before": proc_status(pid)}

    async def monologue(seconds: int) -> dict[str, Any]:
        """Ten minutes of talk without a pause, in real time, beside the other calls."""
        talk = np.tile(speech, int(seconds * 16_000 / len(speech)) + 1)[: seconds * 16_000]
        async with MediaStreamCaller(url) as c:
            await c.wait_event("started")
            await c.say(talk)
            await asyncio.sleep(3)
            heard = [e for e in c.events if e.get("event") == "transcript" and e.get("role") == "caller"]
            return {"seconds": seconds, "utterances_cut": len(heard), "bot_replies": len(c.bot_said())}

    async def call(i: int) -> None:
        async with MediaStreamCaller(url) as c:
            await c.wait_event("started")
            if i % 50 == 25:
                await c.pump(np.tile(speech, 40))  # far faster than real time
                await asyncio.sleep(1)
                return
            end = await c.say(speech)
            if i % 2:
                await asyncio.sleep(0.9)  # hang up just as the reply starts
                await c.close(stop=False)
                return
            await c.wait_event("transcript", role="bot", after=end, timeout=20)

    long_call = asyncio.ensure_future(monologue(monologue_s)) if monologue_s else None
    done = 0
    for batch in range(0, calls, 4):
        await asyncio.gather(*(call(i) for i in range(batch, min(calls, batch + 4))), return_exceptions=True)
        done = min(calls, batch + 4)
        if done % 40 == 0:
            marks[f"after_{done}"] = proc_status(pid)
    if long_call is not None:
        marks["monologue"] = await long_call
    await asyncio.sleep(3)
    marks[f"after_{done}"] = proc_status(pid)
    return marks


async def monologues(url: str, pid: int, count: int, seconds: int) -> dict[str, Any]:
    """Talk without a pause, one call after another, to see whether the memory the first
    monologue takes is kept for reuse (a plateau) or grows with each."""
    speech = caller_speech("아이스팩 어떻게 버려요")
    talk = np.tile(speech, int(seconds * 16_000 / len(speech)) + 1)[: seconds * 16_000]
    marks: dict[str, Any] = {"before": proc_status(pid)}
    for n in range(1, count + 1):
        async with MediaStreamCaller(url) as c:
            await c.wait_event("started")
            await c.say(talk)
            await asyncio.sleep(3)
        await asyncio.sleep(2)
        marks[f"after_{n}"] = proc_status(pid)
        print("monologue", n, marks[f"after_{n}"], flush=True)
    return marks


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", type=Path)
    p.add_argument("--parts", default="latency,concurrency,stt,accuracy,soak")
    p.add_argument("--calls", type=int, default=12)
    p.add_argument("--speech", default="real", choices=("real", "espeak"),
                   help="callers speak the shared real recordings (default) or espeak-ng")
    p.add_argument("--levels", default="1,2,4,8")
    p.add_argument("--accuracy-n", type=int, default=57)
    p.add_argument("--soak-calls", type=int, default=200)
    p.add_argument("--monologue-s", type=int, default=600, help="the soak's talk-without-pause call; 0: none")
    p.add_argument("--monologues", type=int, default=3, help="the monologues part: how many, one after another")
    args = p.parse_args()
    parts = set(args.parts.split(","))
    figures: dict[str, Any] = {}
    with running_bot(args.model) as stack:
        port = free_port()
        gw = stack.start_voice(port, free_port(), MINWON_VOICE__SIP_ENABLED="false")
        url = f"ws://127.0.0.1:{port}/media-stream"
        if "latency" in parts:
            for enc, rate in (("audio/x-mulaw", 8000), ("audio/l16", 16000)):
                figures[f"latency_{enc.split('/')[-1]}"] = asyncio.run(
                    latency(url, args.calls, enc, rate, args.speech == "real"))
                print(enc, json.dumps(figures[f"latency_{enc.split('/')[-1]}"], ensure_ascii=False), flush=True)
        if "concurrency" in parts:
            figures["concurrency"] = asyncio.run(concurrency(
                url, [int(x) for x in args.levels.split(",")], args.speech == "real"))
        if "stt" in parts:
            figures["stt"] = stt_figures()
            print("stt", figures["stt"], flush=True)
        if "accuracy" in parts:
            figures["accuracy"] = accuracy(stack.rasa_url, stack.api_url, args.accuracy_n)
        if "soak" in parts:
            figures["soak"] = asyncio.run(soak(url, gw.pid, args.soak_calls, args.monologue_s))
            print("soak", figures["soak"], flush=True)
        if "monologues" in parts:
            figures["monologues"] = asyncio.run(monologues(url, gw.pid, args.monologues, args.monologue_s or 600))
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
