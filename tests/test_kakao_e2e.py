"""KakaoTalk skill gateway end to end: Kakao's documented requests replayed against the
real API, Rasa and action server; every reply checked against a JSON Schema of Kakao's
limits; callbacks to a local fake Kakao; Rasa slowed and stopped."""

from __future__ import annotations

import copy
import json
import signal
import time
from pathlib import Path

import httpx
import jsonschema
import pytest

from tests.stack import KAKAO_BOT_ID, KAKAO_TOKEN

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "kakao"
SCHEMA = json.loads((FIXTURES / "skill_response.schema.json").read_text(encoding="utf-8"))
HEADERS = {"X-Skill-Token": KAKAO_TOKEN}


def fixture(name: str, user: str, utterance: str | None = None, **extra) -> dict:
    """A documented request, made ours: our bot id, a fresh user, the text to send."""
    body = copy.deepcopy(json.loads((FIXTURES / "requests" / name).read_text(encoding="utf-8")))
    body.setdefault("bot", {})["id"] = KAKAO_BOT_ID
    body["userRequest"]["user"]["id"] = user
    if utterance is not None:
        body["userRequest"]["utterance"] = utterance
    for key, value in extra.items():
        body[key] = value
    return body


def skill(stack, body, headers=HEADERS, timeout: float = 10) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
    return httpx.post(
        f"{stack.api_url}/webhooks/kakao/webhook",
        content=content,
        headers={"Content-Type": "application/json", **headers},
        timeout=timeout,
    )


def valid(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    data = response.json()
    jsonschema.validate(data, SCHEMA)
    assert len(response.content) <= 30 * 1024
    return data


def outputs(data: dict) -> list[dict]:
    return data["template"]["outputs"]


def all_text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


def user() -> str:
    return f"kakao-user-{time.time_ns()}"


def test_the_schema_rejects_what_kakao_would_reject():
    """The schema the replies are checked against has teeth."""
    for path in sorted((FIXTURES / "responses" / "invalid").glob("*.json")):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), SCHEMA)
    for path in sorted((FIXTURES / "responses").glob("*.json")):
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), SCHEMA)


def test_a_question_gets_an_answer_card_with_a_call_button(stack):
    data = valid(skill(stack, fixture("text.json", user(), "수도요금 납부 방법 알려주세요")))
    text = all_text(data)
    assert "수도" in text, text
    phone_buttons = [
        b
        for o in outputs(data)
        for b in (o.get("textCard") or o.get("basicCard") or {}).get("buttons", [])
        if b["action"] == "phone"
    ]
    assert phone_buttons and phone_buttons[0]["phoneNumber"].startswith("0"), data


def test_clarification_is_a_list_and_a_choice_maps_without_nlu(stack):
    u = user()
    data = valid(skill(stack, fixture("text.json", u, "여권")))
    lists = [o["listCard"] for o in outputs(data) if "listCard" in o]
    if not lists:
        pytest.skip(f"'여권' was answered directly on this DB: {all_text(data)[:200]}")
    item = lists[0]["items"][0]
    assert data["template"]["quickReplies"][-1]["label"] == "해당 없음"
    # The citizen taps the first item: Kakao sends its messageText as the utterance.
    chosen = valid(skill(stack, fixture("quick_reply.json", u, item["messageText"])))
    assert "여권" in all_text(chosen) and "골라 주세요" not in all_text(chosen)


def test_a_block_button_carries_its_payload_in_extra(stack):
    body = fixture("block_button.json", user(), "아무 글자")
    body["action"]["clientExtra"] = {"payload": "/request_human"}
    data = valid(skill(stack, body))
    assert any(
        b.get("action") == "operator" for o in outputs(data) for b in (o.get("textCard") or {}).get("buttons", [])
    )


def test_handoff_offers_the_operator_button_and_our_queue_and_a_retry_makes_one_ticket(stack):
    u = user()
    valid(skill(stack, fixture("text.json", u, "여권 재발급 준비물 알려주세요")))
    body = fixture("text.json", u, "상담원 연결해 주세요")
    first = valid(skill(stack, body))
    again = valid(skill(stack, body))  # Kakao retries the identical request
    assert first == again
    assert "상담원에게 연결해 드리겠습니다" in all_text(first)
    assert any(
        b.get("action") == "operator" for o in outputs(first) for b in (o.get("textCard") or {}).get("buttons", [])
    )
    state = httpx.get(f"{stack.api_url}/api/conversations/kakao:{u}/state").json()
    assert state["active"], state
    with stack.console() as admin:
        tickets = [t for t in admin.get("/api/console/queue").json()["tickets"] if t["conversation_id"] == f"kakao:{u}"]
        assert len(tickets) == 1 and tickets[0]["channel"] == "kakao", tickets
        # The counsellor's reply goes out through the outbound sender (to the fake Kakao).
        admin.post(f"/api/console/tickets/{tickets[0]['id']}/claim").raise_for_status()
        admin.post(
            f"/api/console/tickets/{tickets[0]['id']}/reply", json={"text": "카카오 상담원입니다."}
        ).raise_for_status()
    sent = stack.kakao.wait_for("/outbound", 10)
    assert sent["body"] == {"user_key": u, "text": "카카오 상담원입니다.", "author": "시스템 관리자"}


def test_token_and_bot_id_are_checked_quickly(stack):
    body = fixture("text.json", user(), "안녕하세요")
    for headers in ({}, {"X-Skill-Token": "wrong"}, {"X-Skill-Token": KAKAO_TOKEN + "x"}):
        t0 = time.monotonic()
        r = skill(stack, body, headers=headers)
        assert r.status_code == 403 and time.monotonic() - t0 < 0.5, r.text
    other = fixture("text.json", user(), "안녕하세요")
    other["bot"]["id"] = "someone-elses-bot"
    assert skill(stack, other).status_code == 403


@pytest.mark.parametrize(
    ("what", "body", "status"),
    [
        ("malformed JSON", b'{"userRequest": ', 400),
        ("not UTF-8", '{"userRequest": "가"}'.encode("cp949"), 400),
        ("a JSON array", b"[1, 2]", 400),
        ("no user id", json.dumps({"userRequest": {"utterance": "안녕"}}).encode(), 400),
        ("2 MB body", b'{"x": "' + b"a" * 2_000_000 + b'"}', 413),
    ],
)
def test_bad_requests_get_a_clear_4xx(stack, what, body, status):
    r = skill(stack, body)
    assert r.status_code == status, (what, r.text)
    body = r.json()
    assert body.get("message") or body.get("detail"), body  # a Korean explanation either way


@pytest.mark.parametrize(
    ("what", "utterance", "expect"),
    [
        ("10,001 characters", "가" * 10_001, "너무 깁니다"),
        ("emoji only", "🙂🙂🙂", "글로 적어"),
        ("empty", "", "글로 적어"),
    ],
)
def test_odd_utterances_get_a_valid_kakao_reply(stack, what, utterance, expect):
    data = valid(skill(stack, fixture("text.json", user(), utterance)))
    assert expect in all_text(data), (what, data)


def test_unknown_trigger_types_and_photos_get_a_valid_reply(stack):
    body = fixture("text.json", user(), "수도요금 납부 방법")
    body["flow"] = {"trigger": {"type": "SOMETHING_NEW"}}
    assert "수도" in all_text(valid(skill(stack, body)))
    photo = fixture("image.json", user())
    assert "사진" in all_text(valid(skill(stack, photo))) or "수도" not in all_text(valid(skill(stack, photo)))


def test_slow_rasa_switches_to_the_callback_and_the_reply_arrives(stack):
    u = user()
    body = fixture("callback.json", u, "수도요금 납부 방법 알려주세요")
    body["userRequest"]["callbackUrl"] = f"{stack.kakao.url}/callback/{u}"
    no_callback = fixture("text.json", user(), "수도요금 납부 방법 알려주세요")
    rasa = stack.procs["rasa"]
    rasa.send_signal(signal.SIGSTOP)  # Rasa accepts connections but answers nothing
    try:
        t0 = time.monotonic()
        ack = valid(skill(stack, body))
        took = time.monotonic() - t0
        assert ack["useCallback"] is True and ack["data"]["text"] and took < 5, (took, ack)
        t0 = time.monotonic()
        fallback = valid(skill(stack, no_callback))
        assert time.monotonic() - t0 < 5 and "시간이 조금 걸리고" in all_text(fallback)
    finally:
        rasa.send_signal(signal.SIGCONT)
    got = stack.kakao.wait_for(f"/callback/{u}", 30)
    jsonschema.validate(got["body"], SCHEMA)
    assert "수도" in all_text(got["body"]), got


def test_stopped_rasa_gets_a_graceful_reply_within_five_seconds(stack):
    stack.stop("rasa")
    try:
        for i in range(5):
            t0 = time.monotonic()
            data = valid(skill(stack, fixture("text.json", user(), f"수도요금 {i}")))
            assert time.monotonic() - t0 < 5
            assert "원활하지 않습니다" in all_text(data), data
    finally:
        stack.start_rasa(stack.model)
