"""A counsellor in headless Chromium: logs in, sees a ticket appear live, claims it, reads
the transcript with agent assist, replies; the citizen's REST conversation receives the
reply, and the citizen's next message appears live. Citizen HTML shows as text."""

from __future__ import annotations

import time

import httpx
import pytest
from selenium.webdriver.common.by import By

from tests.browser import chromium, screenshot, wait_for

pytestmark = pytest.mark.slow

SCRIPT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def _state(stack, cid: str) -> dict:
    return httpx.get(f"{stack.api_url}/api/conversations/{cid}/state", timeout=10).json()


def test_counsellor_console_in_a_real_browser(stack, tmp_path):
    stack.add_user("park", "counsellor")
    with chromium(tmp_path / "profile") as driver:
        driver.get(f"{stack.api_url}/console/")
        wait_for(lambda: driver.find_element(By.ID, "login-username").is_displayed(), what="login form")
        driver.find_element(By.ID, "login-username").send_keys("park")
        driver.find_element(By.ID, "login-password").send_keys("wrong-password")
        driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
        wait_for(lambda: "올바르지 않습니다" in driver.find_element(By.ID, "login-error").text, what="login error")
        driver.find_element(By.ID, "login-password").clear()
        driver.find_element(By.ID, "login-password").send_keys("counsellor-pw-1")
        driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
        wait_for(lambda: driver.find_element(By.ID, "conn").text == "실시간 연결됨", what="live connection")

        # A citizen asks, writes some HTML, then asks for a person: the ticket appears
        # in the open console without a reload.
        cid = f"browser-{time.time_ns()}"
        stack.say(cid, "여권 재발급 준비물 알려주세요")
        stack.say(cid, SCRIPT)
        stack.say(cid, "상담원 연결해 주세요")
        state = _state(stack, cid)
        assert state["active"], state
        ticket_id = state["ticket_id"]
        row = wait_for(
            lambda: driver.find_element(By.CSS_SELECTOR, f'tr[data-ticket="{ticket_id}"]'),
            what="ticket row pushed to the console",
        )
        assert "상담원 요청" in row.text or "답변 못 찾음" in row.text, row.text

        row.find_element(By.CSS_SELECTOR, f'button[data-claim="{ticket_id}"]').click()
        transcript = wait_for(lambda: driver.find_element(By.ID, "transcript").text, what="transcript")
        assert "여권 재발급 준비물 알려주세요" in transcript
        assert "<script>window.__pwned = 1</script>" in transcript, "citizen HTML must show as text"
        assert driver.execute_script("return window.__pwned === undefined")
        assert not driver.find_elements(By.CSS_SELECTOR, "#transcript script, #transcript img")
        assert "의도: ask_question" in transcript and "검토한 상담 DB 후보" in transcript  # agent assist
        assert _state(stack, cid)["status"] == "claimed"

        driver.find_element(By.ID, "reply-text").send_keys(
            "안녕하세요, 상담원 박민원입니다. 여권 재발급은 신분증과 사진이 필요합니다."
        )
        driver.find_element(By.ID, "reply-send").click()
        got = wait_for(
            lambda: httpx.get(
                f"{stack.api_url}/api/conversations/{cid}/events", params={"after": 0}, timeout=10
            ).json()["events"],
            what="counsellor reply at the citizen's side",
        )
        assert got[-1]["text"].startswith("안녕하세요, 상담원 박민원입니다"), got

        stack.say(cid, "감사합니다. 사진 규격도 알려주세요")
        wait_for(
            lambda: "사진 규격도 알려주세요" in driver.find_element(By.ID, "transcript").text,
            what="citizen message pushed to the console",
        )
        path = screenshot(driver, "console-ticket.png")
        assert path.stat().st_size > 10_000
