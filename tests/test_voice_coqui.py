"""coqui-tts as the voicebot's voice (the optional engine): a tiny random VITS that the test
builds in coqui's own format is loaded by the worker under the coqui venv, turns Hangul
(numbers read the Korean way first) into 16 kHz audio, and speaks the greeting of a real
voice gateway configured for it. A missing model is a clear error, not a silent fallback."""

from __future__ import annotations

import asyncio
import subprocess

import numpy as np
import pytest

from minwon.settings import VoiceSettings
from tests.stack import ROOT, Stack, free_port
from tests.voice_client import MediaStreamCaller
from voice_gateway.tts import CoquiTTS, TTSError, make_tts

COQUI_PY = ROOT / ".venv" / "coqui" / "bin" / "python"
pytestmark = pytest.mark.skipif(not COQUI_PY.exists(), reason="the coqui venv comes with `make test`")


@pytest.fixture(scope="module")
def vits(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("vits")
    proc = subprocess.run([str(COQUI_PY), "-m", "tests.coqui_side.build_vits", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return str(out)


def test_the_coqui_engine_speaks_korean_text_at_16_khz(vits):
    tts = make_tts(VoiceSettings(tts_engine="coqui", tts_model_path=vits, tts_python=str(COQUI_PY)))
    audio = tts.synthesize("운영 시간은 09:00~18:00이고 문의는 02-0000-3100입니다.")
    assert audio.dtype == np.float32 and np.isfinite(audio).all()
    # The random voice is noise, but as long as the reading: hop 256 at 16 kHz, ~6 frames a syllable.
    assert 1.0 < len(audio) / 16_000 < 30 and 0.01 < float(np.abs(audio).max()) <= 1.0
    assert tts.synthesize("운영 시간은 09:00~18:00이고 문의는 02-0000-3100입니다.") is audio  # cached
    assert len(tts.synthesize("🙂")) == 0


def test_a_missing_model_or_venv_is_a_clear_error(tmp_path):
    with pytest.raises(TTSError, match="model directory"):
        CoquiTTS(str(tmp_path / "nothing"), str(COQUI_PY))
    with pytest.raises(TTSError, match="could not load"):
        CoquiTTS(str(tmp_path), str(COQUI_PY))  # a directory without config.json
    with pytest.raises(TTSError, match="missing"):
        CoquiTTS(str(tmp_path), "/nonexistent/python")


@pytest.mark.slow
@pytest.mark.anyio
async def test_a_gateway_configured_for_coqui_greets_callers_with_it(stack: Stack, vits):
    port = free_port()
    stack.start_voice(port, free_port(), name="voice-coqui", MINWON_VOICE__TTS_ENGINE="coqui",
                      MINWON_VOICE__TTS_MODEL_PATH=vits, MINWON_VOICE__TTS_PYTHON=str(COQUI_PY),
                      MINWON_VOICE__SIP_ENABLED="false")
    async with MediaStreamCaller(f"ws://127.0.0.1:{port}/media-stream") as c:
        await c.wait_event("started")
        await asyncio.sleep(2.0)
        assert c.first_loud_after(0) is not None, "no greeting audio from the coqui voice"
    stack.stop("voice-coqui")
