"""The demo page's "전화로 물어보기" button in headless Chromium: the fake microphone plays
a spoken question (a WAV file, looped by Chromium), the page streams it to the real voice
gateway as L16 16 kHz through an AudioWorklet, the bot's reply comes back and its captions
show; the on-screen keypad's 0 reaches the callback offer; hanging up ends the call."""

from __future__ import annotations

import time
import wave

import httpx
import numpy as np
import pytest
from selenium.webdriver.common.by import By

from tests.browser import chromium, screenshot, wait_for
from tests.stack import Stack, free_port
from tests.voice_client import caller_speech

pytestmark = pytest.mark.slow


def test_call_button_talks_to_the_voicebot_and_the_keypad_reaches_a_person(stack: Stack, tmp_path):
    port = free_port()
    stack.start_voice(port, free_port(), name="voice-browser", MINWON_VOICE__SIP_ENABLED="false")
    question = tmp_path / "question.wav"
    gap = np.zeros(16_000 * 8, np.float32)
    pcm = np.concatenate([gap[: 16_000 * 2], caller_speech("아이스팩"), gap])
    with wave.open(str(question), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes((pcm * 32767).astype("<i2").tobytes())
    flags = ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
             f"--use-file-for-fake-audio-capture={question}", "--autoplay-policy=no-user-gesture-required")
    with chromium(tmp_path / "profile", 1000, 900, extra=flags) as driver:
        driver.get(f"{stack.api_url}/demo/?voice=ws://127.0.0.1:{port}/media-stream")
        start = wait_for(lambda: driver.find_element(By.CSS_SELECTOR, ".voice-start"), what="call button")
        assert start.text.endswith("전화로 물어보기")
        start.click()
        wait_for(lambda: driver.find_element(By.CSS_SELECTOR, ".voice-hangup").is_displayed(), 15, "connected")

        def captions(kind: str) -> list[str]:
            return [e.text for e in driver.find_elements(By.CSS_SELECTOR, f".voice-captions .{kind}")]

        wait_for(lambda: any("안녕하십니까" in t for t in captions("bot")), 10, "the greeting caption")
        # The fake microphone's question is heard and answered (whatever Whisper made of
        # espeak's voice, the bot replies to it).
        wait_for(lambda: captions("me"), 30, "the caller's words heard")
        wait_for(lambda: len(captions("bot")) >= 2, 20, "a reply")
        stats = httpx.get(f"http://127.0.0.1:{port}/stats", timeout=5).json()
        assert [c for c in stats["recent_calls"] if c["transport"] == "browser"], stats
        assert stats["turns"] and stats["turns"][-1]["first_audio_ms"] < 3000, stats["turns"][-1:]

        driver.find_element(By.CSS_SELECTOR, '.voice-keypad button[data-digit="0"]').click()
        wait_for(lambda: any("상담원이 근무 시간에 전화를 드리도록" in t for t in captions("bot")), 15,
                 "the callback offer")
        screenshot(driver, "voice-call-button.png")
        driver.find_element(By.CSS_SELECTOR, ".voice-hangup").click()
        wait_for(lambda: driver.find_element(By.CSS_SELECTOR, ".voice-start").is_displayed(), 5, "hung up")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and httpx.get(f"http://127.0.0.1:{port}/health").json()["calls"]:
            time.sleep(0.1)
        assert httpx.get(f"http://127.0.0.1:{port}/health").json()["calls"] == 0
    stack.stop("voice-browser")
