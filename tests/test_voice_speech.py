"""The voicebot's speech parts with the embedded models: Whisper base joined from its two
PyPI packages and verified, espeak-ng Korean, the hallucination filter on silence and
noise. (Speech made by espeak-ng is a floor for recognition, not a measure of it.)"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from minwon.settings import VoiceSettings
from voice_gateway.models import ModelError, embedded_whisper_base, verify
from voice_gateway.stt import WhisperSTT, is_hallucination, speech_windows
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
    heard = stt.recognize(audio)
    assert not heard.no_speech and "수도" in heard.text, heard
    # Greedy decoding: the same audio, the same words (the sampled fallback this replaced
    # heard something different on every run).
    assert stt.recognize(audio).text == heard.text
    assert stt.recognize(np.zeros(SAMPLE_RATE * 2, dtype=np.float32)).no_speech
    noise = (np.random.default_rng(0).standard_normal(SAMPLE_RATE * 3) * 0.05).astype(np.float32)
    assert stt.recognize(noise).no_speech
    assert stt.recognize(np.full(SAMPLE_RATE, np.nan, dtype=np.float32)).no_speech  # broken audio
    assert stt.recognize(np.zeros(0, dtype=np.float32)).no_speech  # an empty utterance


MONOLOGUE = (
    "수도요금이 너무 많이 나왔는데요", "지난달에는 삼만 원이었어요", "이번 달에는 십오만 원이 나왔어요",
    "누수가 있는지 확인하고 싶어요", "검침원이 언제 오는지 알려주세요", "요금을 나눠서 낼 수 있나요",
    "아파트 관리사무소에도 물어봤어요", "그런데 시청에 물어보라고 했어요", "여권 재발급은 어디서 해요",
    "주차 과태료를 내고 싶어요", "대형 폐기물은 어떻게 버려요", "아이스팩은 어떻게 버려요",
)


def test_a_long_utterance_is_heard_in_windows_cut_at_its_pauses(stt):
    """Whisper takes 30 s at most. A caller going on for 47 s (twelve sentences, each after
    1 s of line hiss) is cut at the pauses into windows of under 29 s, and heard; 14-s
    stretches of hiss between two questions are left out of the window."""
    settings = VoiceSettings()
    tts = make_tts(settings)
    hiss = (np.random.default_rng(1).standard_normal(SAMPLE_RATE * 14) * 0.003).astype(np.float32)
    question = tts.synthesize(MONOLOGUE[0])

    apart = speech_windows(np.concatenate([question, hiss, question, hiss]), settings)
    assert len(apart) == 1 and len(apart[0]) < 2 * len(question) + SAMPLE_RATE, [len(w) for w in apart]

    monologue = np.concatenate([np.concatenate([hiss[:SAMPLE_RATE], tts.synthesize(s)]) for s in MONOLOGUE])
    windows = speech_windows(monologue, settings)
    lengths = [len(w) / SAMPLE_RATE for w in windows]
    assert len(windows) == 2 and max(lengths) <= 29 and sum(lengths) > 30, lengths
    heard = stt.recognize(monologue)
    # espeak's Korean is barely words to Whisper (see the module's note), so this asks only
    # that the long stretch is heard as speech, not what it says: here ~150 syllables.
    assert heard.seconds > 45 and sum("가" <= c <= "힣" for c in heard.text) >= 40, heard
    assert stt.recognize(np.tile(hiss, 3)).no_speech
