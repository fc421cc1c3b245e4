"""The web-chat widget on a demo page, in headless Chromium: three questions, a quick
reply, a handoff, a counsellor's reply pushed live, a network loss survived with the same
conversation; keyboard-only use, 320 px, large text, high contrast; axe-core finds no
serious or critical violations."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser import chromium, screenshot, wait_for

pytestmark = pytest.mark.slow

AXE = Path(__file__).resolve().parent.parent / "web" / "node_modules" / "axe-core" / "axe.min.js"


def shadow(driver):
    return driver.find_element(By.ID, "minwon-chat").shadow_root


def bubbles(driver, kind: str = "") -> list[str]:
    return [e.text for e in shadow(driver).find_elements(By.CSS_SELECTOR, f".msg{'.' + kind if kind else ''}")]


def ask(driver, text: str) -> str:
    before = len(bubbles(driver, "bot"))
    box = shadow(driver).find_element(By.CSS_SELECTOR, "textarea")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)
    wait_for(lambda: len(bubbles(driver, "bot")) > before, 20, f"a reply to {text!r}")
    return bubbles(driver, "bot")[-1]


def axe_violations(driver) -> list[str]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, n: v.nodes.length}))))"
        ".catch(e => done([{id: 'axe-error: ' + e, impact: 'critical', n: 0}]));"
    )
    return [f"{v['id']} ({v['impact']}, {v['n']} nodes)" for v in result if v["impact"] in ("serious", "critical")]


def test_widget_questions_quick_reply_handoff_and_reconnect(stack, tmp_path):
    stack.add_user("choi", "counsellor")
    with chromium(tmp_path / "profile", 1280, 900) as driver:
        driver.set_script_timeout(30)
        driver.get(f"{stack.api_url}/demo/")
        wait_for(lambda: shadow(driver).find_element(By.CSS_SELECTOR, ".launcher").is_displayed(), what="launcher")
        assert not axe_violations(driver)

        # Keyboard only: Tab to the launcher (past the page's own controls, e.g. the call
        # button), Enter opens, focus lands in the input.
        def launcher_focused() -> bool:
            return driver.execute_script(
                "return document.activeElement.id === 'minwon-chat' && "
                "document.activeElement.shadowRoot.activeElement.className === 'launcher'"
            )

        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        for _ in range(20):
            if launcher_focused():
                break
            driver.switch_to.active_element.send_keys(Keys.TAB)
        assert launcher_focused(), "the chat launcher cannot be reached with Tab"
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        wait_for(lambda: shadow(driver).find_element(By.CSS_SELECTOR, ".panel").is_displayed(), what="panel open")
        assert driver.execute_script("return document.activeElement.shadowRoot.activeElement.tagName") == "TEXTAREA"
        assert shadow(driver).find_element(By.CSS_SELECTOR, ".log").get_attribute("aria-live") == "polite"
        assert not axe_violations(driver)

        assert "수도" in ask(driver, "수도요금 납부 방법 알려주세요")
        assert "전화하기" in bubbles(driver, "bot")[-1]  # the department's call link
        assert "여권" in ask(driver, "여권 재발급 준비물")
        assert "폐기물" in ask(driver, "대형 폐기물 버리는 방법") or "폐기물" in " ".join(bubbles(driver))
        ask(driver, "여권")
        choices = shadow(driver).find_elements(By.CSS_SELECTOR, ".choices button")
        assert len(choices) >= 2 and choices[-1].text == "해당 없음", [c.text for c in choices]
        picked = choices[0].text
        before = len(bubbles(driver, "bot"))
        choices[0].click()
        wait_for(lambda: len(bubbles(driver, "bot")) > before, 20, "answer to the chosen entry")
        assert bubbles(driver, "user")[-1] == picked

        # Handoff: the status bar shows the place in the queue; a counsellor answers live.
        ask(driver, "상담원 연결해 주세요")
        status = shadow(driver).find_element(By.CSS_SELECTOR, ".status")
        wait_for(lambda: status.is_displayed() and "대기" in status.text, 10, "queue status")
        cid = driver.execute_script("return window.MinwonChat.conversationId()")
        with stack.console("choi", "counsellor-pw-1") as choi:
            ticket = next(t for t in choi.get("/api/console/queue").json()["tickets"] if t["conversation_id"] == cid)
            assert ticket["channel"] == "web"
            choi.post(f"/api/console/tickets/{ticket['id']}/claim").raise_for_status()
            wait_for(lambda: "상담원과 대화 중" in status.text, 10, "claimed status")
            choi.post(f"/api/console/tickets/{ticket['id']}/typing").raise_for_status()
            wait_for(lambda: "입력 중" in shadow(driver).find_element(By.CSS_SELECTOR, ".typing").text, 5, "typing")
            choi.post(
                f"/api/console/tickets/{ticket['id']}/reply", json={"text": "안녕하세요, 상담원 최민원입니다."}
            ).raise_for_status()
            wait_for(
                lambda: any("최민원" in b for b in bubbles(driver, "agent")), 10, "counsellor message in the widget"
            )
            screenshot(driver, "widget-handoff.png")

            # Network loss: the server goes away and comes back; the widget reconnects with
            # the same conversation, and what the citizen typed meanwhile is delivered.
            stack.stop("api")
            box = shadow(driver).find_element(By.CSS_SELECTOR, "textarea")
            box.send_keys("연결이 끊겼나요?")
            box.send_keys(Keys.ENTER)
            stack.start_api()
            choi2 = stack.console("choi", "counsellor-pw-1")
            wait_for(
                lambda: any(
                    t["text"] == "연결이 끊겼나요?"
                    for t in choi2.get(f"/api/console/tickets/{ticket['id']}").json()["transcript"]
                ),
                40,
                "message typed during the outage reaches the counsellor",
            )
            assert driver.execute_script("return window.MinwonChat.conversationId()") == cid
            choi2.post(
                f"/api/console/tickets/{ticket['id']}/reply", json={"text": "네, 다시 연결되었습니다."}
            ).raise_for_status()
            wait_for(
                lambda: any("다시 연결되었습니다" in b for b in bubbles(driver, "agent")), 15, "reply after reconnect"
            )

        # Large text and high contrast, then axe again.
        shadow(driver).find_element(By.CSS_SELECTOR, ".big-btn").click()
        shadow(driver).find_element(By.CSS_SELECTOR, ".contrast-btn").click()
        assert shadow(driver).find_element(By.CSS_SELECTOR, ".big-btn").get_attribute("aria-pressed") == "true"
        assert not axe_violations(driver)
        screenshot(driver, "widget-contrast.png")
        # Escape closes and gives the focus back to the launcher.
        driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        wait_for(lambda: shadow(driver).find_element(By.CSS_SELECTOR, ".launcher").is_displayed(), what="closed")


def test_widget_fits_320_pixels_and_shows_html_as_text(stack, tmp_path):
    with chromium(tmp_path / "profile", 800, 700) as driver:
        # A real 320-px phone viewport (a desktop window cannot be made that narrow).
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": True}
        )
        driver.get(f"{stack.api_url}/demo/")
        wait_for(lambda: shadow(driver).find_element(By.CSS_SELECTOR, ".launcher").is_displayed(), what="launcher")
        shadow(driver).find_element(By.CSS_SELECTOR, ".launcher").click()
        panel = shadow(driver).find_element(By.CSS_SELECTOR, ".panel")
        wait_for(panel.is_displayed, what="panel")
        width = driver.execute_script("return window.innerWidth")
        assert width == 320
        assert panel.rect["width"] <= width and panel.rect["x"] >= 0
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        ask(driver, '<img src=x onerror="window.__pwned=1">수도요금 문의')
        assert "<img src=x" in bubbles(driver, "user")[-1]
        assert driver.execute_script("return window.__pwned === undefined")
        assert not axe_violations(driver)
        time.sleep(0.2)
        screenshot(driver, "widget-320.png")
