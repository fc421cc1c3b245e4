"""The voicebot over SIP + RTP with real SIP peers: baresip (a softphone) dials in, plays a
spoken question from a WAV file and records what it hears; SIPp dials in and presses keys
with RFC 4733 events; a phone offering only G.729 is refused. The gateway, Rasa, the action
server and the API are the real ones."""

from __future__ import annotations

import csv
import glob
import shutil
import subprocess
import time
import wave
from pathlib import Path

import httpx
import numpy as np
import pytest

from minwon.settings import VoiceSettings
from tests.stack import RASA_TOKEN, ROOT, Stack, free_port
from tests.voice_client import caller_speech, similarity
from voice_gateway.audio import Codec, resample
from voice_gateway.tts import make_tts, sentences

pytestmark = pytest.mark.slow
SIP_DIR = Path(__file__).parent / "sip"
ICE_PACK = "WS-018"

needs_peers = pytest.mark.skipif(not (shutil.which("sipp") and shutil.which("baresip")),
                                 reason="SIP peers come with `make test` (apt: sip-tester, baresip-core)")


@pytest.fixture(scope="module")
def gateway(stack: Stack) -> dict:
    http, sip = free_port(), free_port()
    stack.start_voice(http, sip, name="voice-sip")
    return {"http": f"http://127.0.0.1:{http}", "sip": sip}


def _sipp(scenario: str, gateway: dict, cwd: Path, seconds: int = 60) -> subprocess.CompletedProcess:
    for _ in range(2):
        for old in cwd.glob("*_errors.log"):
            old.unlink()
        run = subprocess.run(
            ["sipp", f"127.0.0.1:{gateway['sip']}", "-sf", str(SIP_DIR / scenario), "-m", "1", "-i", "127.0.0.1",
             "-p", str(free_port()), "-mp", str(free_port() & ~1), "-nostdin", "-trace_err",
             "-timeout", f"{seconds}s", "-timeout_error"],
            cwd=cwd, capture_output=True, text=True, timeout=seconds + 30)
        errors = " ".join(f.read_text(errors="replace") for f in cwd.glob("*_errors.log"))
        # Seen once in a fresh-clone run: sippy's "100 Trying" arrived after its own "200 OK" on
        # UDP, and SIPp (unlike a phone, which ignores a provisional after the final
        # response) aborts the call. That is SIPp's strictness, not what is under test:
        # the call is dialled again, once.
        if run.returncode == 0 or not ("unexpected message" in errors and "SIP/2.0 100 Trying" in errors):
            return run
    return run


def _recent_calls(gateway: dict, since: float) -> list[dict]:
    calls = httpx.get(f"{gateway['http']}/stats", timeout=5).json()["recent_calls"]
    return [c for c in calls if c["transport"] == "sip" and c["started"] >= since]


def _answers(stack: Stack, sender: str) -> list[str]:
    r = httpx.get(f"{stack.rasa_url}/conversations/{sender}/tracker", params={"token": RASA_TOKEN}, timeout=10)
    return [str(e["data"]["custom"].get("entry_id")) for e in r.json().get("events", [])
            if e.get("event") == "bot" and isinstance((e.get("data") or {}).get("custom"), dict)
            and e["data"]["custom"].get("minwon") == "answer"]


def _write_wav(path: Path, pcm16k: np.ndarray) -> None:
    pcm = resample(pcm16k, 16_000, 8_000)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8_000)
        w.writeframes((np.clip(pcm, -1, 1) * 32767).astype("<i2").tobytes())


def _read_wav(path: str) -> np.ndarray:
    with wave.open(path) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768
        return resample(pcm, w.getframerate(), 16_000)


def _softphone_call(tmp: Path, gateway: dict, question: np.ndarray) -> subprocess.CompletedProcess:
    """baresip dials the gateway from 010-1234-5678, plays ``question`` (its WAV source) and
    records what it hears; it hangs up when the file ends."""
    (tmp / "rec").mkdir(parents=True, exist_ok=True)
    _write_wav(tmp / "question.wav", question)
    (tmp / "accounts").write_text("<sip:01012345678@127.0.0.1>;regint=0;audio_codecs=PCMU\n")
    (tmp / "config").write_text("\n".join([
        f"sip_listen 127.0.0.1:{free_port()}", "audio_player aubridge,nil", "audio_alert aubridge,nil",
        f"audio_source aufile,{tmp / 'question.wav'}", "ausrc_srate 8000", "auplay_srate 8000",
        "module_path /usr/lib/baresip/modules", "module g711.so", "module aufile.so", "module aubridge.so",
        "module sndfile.so", "module_app account.so", "module_app menu.so", f"snd_path {tmp / 'rec'}", ""]))
    return subprocess.run(["baresip", "-f", str(tmp), "-e", f"/dial sip:voicebot@127.0.0.1:{gateway['sip']}",
                           "-t", "60"], capture_output=True, text=True, timeout=90)


@needs_peers
def test_a_softphone_asks_over_rtp_and_records_the_spoken_answer(stack, gateway, tmp_path):
    # The question after the 14-s greeting, then 9 s to hear the answer; the call ends with
    # the file. Whisper base mishears espeak's Korean now and then: each try is a new call.
    quiet = np.zeros(16_000 * 15, np.float32)
    pcm = np.concatenate([quiet, caller_speech("아이스팩"), quiet[: 16_000 * 9]])
    tried = []
    for attempt in range(5):
        since = time.time()
        run = _softphone_call(tmp_path / str(attempt), gateway, pcm)
        assert "Call established" in run.stdout, run.stdout[-3000:]
        calls = _recent_calls(gateway, since)
        assert len(calls) == 1, calls
        answers = _answers(stack, f"voice-{calls[0]['call_id']}")
        tried.append(answers)
        if ICE_PACK in answers:
            break
    else:
        raise AssertionError(f"five calls never reached the ice-pack answer: {tried}")
    # What the softphone heard holds the entry's spoken answer, as it sounds through μ-law.
    heard = _read_wav(glob.glob(str(tmp_path / str(attempt) / "rec" / "*-dec.wav"))[0])
    with (ROOT / "knowledge" / "sample_data" / "counseling_db.csv").open(encoding="utf-8") as f:
        spoken = next(r["spoken_answer"] for r in csv.DictReader(f) if r["id"] == ICE_PACK)
    codec = Codec("audio/x-mulaw", 8000)
    reference = make_tts(VoiceSettings()).synthesize(sentences(spoken)[0])
    reference = codec.decode(codec.encode(reference))
    assert similarity(heard, reference) > 0.7


@needs_peers
def test_keypad_0_over_rfc4733_books_a_callback_and_the_bot_hangs_up(stack, gateway, tmp_path):
    since = time.time()
    run = _sipp("keypad_callback.xml", gateway, tmp_path)
    # SIPp exits 0 only when the whole scenario ran: answered, keys sent, our BYE received.
    assert run.returncode == 0, (run.stdout[-2000:], run.stderr[-2000:])
    calls = _recent_calls(gateway, since)
    assert len(calls) == 1, calls
    with stack.console() as admin:
        callbacks = admin.get("/api/console/callbacks").json()["callbacks"]
    mine = [c for c in callbacks if c["conversation_id"] == f"voice-{calls[0]['call_id']}"]
    assert len(mine) == 1 and mine[0]["callback_phone_full"] == "010-1234-5678", callbacks
    assert mine[0]["channel"] == "voice"


@needs_peers
def test_a_phone_offering_only_g729_is_refused_and_others_still_get_through(gateway, tmp_path):
    since = time.time()
    run = _sipp("g729_only.xml", gateway, tmp_path, seconds=20)
    assert run.returncode == 0, (run.stdout[-2000:], run.stderr[-2000:])  # the scenario expects 488
    assert not _recent_calls(gateway, since), "no call may start without a codec both sides speak"
    assert httpx.get(f"{gateway['http']}/health", timeout=5).json()["calls"] == 0
    again = _sipp("keypad_callback.xml", gateway, tmp_path)
    assert again.returncode == 0, again.stdout[-2000:]
