"""The voicebot's speech parts with the embedded models: Whisper base joined from its two
PyPI packages and verified, espeak-ng Korean, the hallucination filter on silence and
noise. (Speech made by espeak-ng is a floor for recognition, not a measure of it.)"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from minwon.settings import VoiceSettings
from voice_gateway.models import ModelError, embedded_whisper_base, verify
from voice_gateway.stt import WhisperSTT, is_hallucination
from voice_gateway.tts import SAMPLE_RATE, make_tts


@pytest.fixture(scope="module")
def stt() -> WhisperSTT:
    return WhisperSTT(VoiceSettings())


def test_embedded_model_is_joined_once_and_verified(tmp_path):
    directory = embedded_whisper_base()
    verify(directory)
    copy = tmp_path / "tampered"
    shutil.copytree(directory, copy)
    with (copy / "model.bin").open("r+b") as f:
        f.seek(1000)
        f.write(b"\x00\x01\x02")
    with pytest.raises(ModelError, match="checksum"):
        verify(copy)


@pytest.mark.parametrize(
    ("text", "hallucinated"),
    [
        ("시청해주셔서 감사합니다.", True),
        ("구독과 좋아요 부탁드려요", True),
        ("", True),
        ("...", True),
        ("수도요금이 너무 많이 나왔는데요", False),
        ("여권 재발급 감사합니다 어디서 해요", False),
    ],
)
def test_whisper_silence_phrases_are_not_speech(text, hallucinated):
    assert is_hallucination(text) is hallucinated


def test_espeak_speaks_the_spoken_form():
    tts = make_tts(VoiceSettings())
    audio = tts.synthesize("운영 시간은 09:00~18:00이고 문의는 02-0000-3100입니다.")
    seconds = len(audio) / SAMPLE_RATE
    assert audio.dtype == np.float32 and 3 < seconds < 20 and float(np.abs(audio).max()) > 0.05
    assert tts.synthesize("운영 시간은 09:00~18:00이고 문의는 02-0000-3100입니다.") is audio  # cached
    assert len(tts.synthesize("🙂")) == 0


def test_the_db_vocabulary_prompt_is_off_until_measured_on_real_speech():
    # With it on, espeak's "수도요금이 너무 많이 나왔는데요" came back as "여권민원".
    assert VoiceSettings().stt_use_db_vocabulary is False


def test_a_spoken_question_is_heard_and_silence_is_not(stt):
    audio = make_tts(VoiceSettings()).synthesize("수도요금이 너무 많이 나왔는데요")
    heard = stt.transcribe(audio)
    assert not heard.no_speech and "요" in heard.text, heard
    assert stt.transcribe(np.zeros(SAMPLE_RATE * 2, dtype=np.float32)).no_speech
    noise = (np.random.default_rng(0).standard_normal(SAMPLE_RATE * 3) * 0.05).astype(np.float32)
    assert stt.transcribe(noise).no_speech
    assert stt.transcribe(np.full(SAMPLE_RATE, np.nan, dtype=np.float32)).no_speech  # broken audio
