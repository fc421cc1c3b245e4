"""End to end through the real parts: Rasa's REST channel → Rasa → action server →
minwon API → SQLite, with the bundled sample counseling DB and a freshly trained model."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import httpx
import pytest
from sqlalchemy import select

from minwon.db.models import Entry, Ticket
from minwon.db.session import make_engine, session_scope
from tests.stack import SERVICE_HEADERS

pytestmark = pytest.mark.slow


def _engine(stack):
    return make_engine(stack.full_env()["MINWON_DATABASE_URL"])


def _tickets(stack, conversation_id: str) -> list[Ticket]:
    with session_scope(_engine(stack)) as s:
        tickets = list(s.scalars(select(Ticket).where(Ticket.conversation_id == conversation_id)))
        for t in tickets:
            _ = list(t.messages)
        return tickets


def _ask_api(stack, text: str) -> dict:
    r = httpx.post(f"{stack.api_url}/api/knowledge/ask", json={"text": text, "log": False}, timeout=10,
                   headers=SERVICE_HEADERS)
    r.raise_for_status()
    return r.json()


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("무주 시내버스 첫차 몇 시예요", "첫차"),
        ("수도요금 자동이체 어떻게 해요", "자동이체"),
        ("여권 재발급 준비물", "여권"),
        ("버스첫차몇시에요", "첫차"),
    ],
)
def test_information_question_gets_db_answer_with_department_and_phone(stack, question, topic):
    replies = stack.say(f"faq-{topic}-{len(question)}", question)
    text = stack.texts(replies)
    assert topic in text, text
    assert "담당:" in text and "02-0000-" in text, text


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("안녕하세요", "예시시 민원 상담 챗봇"),
        ("감사합니다", "다행입니다"),
        ("안녕히 계세요", "이용해 주셔서 감사합니다"),
        ("오늘 야구 누가 이겼어", "안내해 드리기 어렵습니다"),
        ("너 로봇이야?", "챗봇"),
    ],
)
def test_small_talk_is_answered_politely(stack, message, expected):
    assert expected in stack.texts(stack.say(f"talk-{expected}", message))


AMBIGUOUS = ["여권", "버스", "수도요금", "주차", "예방접종", "쓰레기", "자동차세", "등본", "과태료", "도서관"]


def _clarifying_query(stack) -> tuple[str, dict]:
    for q in AMBIGUOUS:
        result = _ask_api(stack, q)
        if result["decision"] == "clarify" and len(result["choices"]) >= 2:
            return q, result
    pytest.fail(f"none of {AMBIGUOUS} led to a clarification")


def test_close_entries_are_offered_as_buttons_then_answered(stack):
    query, result = _clarifying_query(stack)
    replies = stack.say("clarify-1", query)
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert [b["title"] for b in buttons][-1] == "해당 없음"
    assert len(buttons) == len(result["choices"]) + 1
    chosen = result["choices"][0]
    answer = stack.texts(stack.say("clarify-1", buttons[0]["payload"]))
    assert chosen["answer"][:20] in answer and "담당:" in answer


def test_none_of_these_hands_over_with_the_transcript(stack):
    query, _ = _clarifying_query(stack)
    stack.say("clarify-2", query)
    reply = stack.texts(stack.say("clarify-2", "/none_of_these"))
    assert "상담원" in reply
    [ticket] = _tickets(stack, "clarify-2")
    assert ticket.reason == "no_match" and ticket.channel == "rest" and ticket.status == "queued"
    user_texts = [m.text for m in ticket.messages if m.sender == "user"]
    assert query in user_texts
    first = next(m for m in ticket.messages if m.text == query)
    assert first.candidates, "agent assist: the candidates the bot considered"


def test_asking_for_a_person_creates_a_ticket_once(stack):
    stack.say("human-1", "수도요금 자동이체 어떻게 해요")
    reply = stack.texts(stack.say("human-1", "상담원 연결해 주세요"))
    assert "상담원에게 연결해 드리겠습니다" in reply and "다시 설명하지 않으셔도" in reply
    [ticket] = _tickets(stack, "human-1")
    assert ticket.reason == "requested_human"
    senders = [m.sender for m in ticket.messages]
    assert senders[:3] == ["user", "bot", "user"]
    assert any("자동이체" in m.text for m in ticket.messages if m.sender == "bot")


def test_entry_needing_a_person_answers_and_hands_over(stack):
    with session_scope(_engine(stack)) as s:
        entry = s.scalars(select(Entry).where(Entry.needs_human).order_by(Entry.id)).first()
        assert entry is not None, "the sample DB has entries that need a person"
        question, category, department = entry.question, entry.category, entry.department
    result = _ask_api(stack, question)
    assert result["decision"] == "answer" and result["entry"]["needs_human"]
    reply = stack.texts(stack.say("needs-human-1", question))
    assert "상담원" in reply
    [ticket] = _tickets(stack, "needs-human-1")
    assert (ticket.reason, ticket.category, ticket.department) == ("needs_human", category, department)


def test_a_db_edit_is_answerable_within_five_seconds(stack):
    marker = f"예시시 드론 축제 {int(time.time())}"
    with session_scope(_engine(stack)) as s:
        s.add(Entry(
            id=f"TEST-{int(time.time())}", agency="예시시", category="문화·체육시설",
            question="예시시 드론 라이트쇼 축제는 언제 어디서 열리나요?",
            alt_questions=["드론쇼 언제 해요", "드론 라이트쇼 장소"],
            answer=f"{marker}: 12월 24일 19시 예시천 둔치에서 열립니다.", department="문화체육과",
            phone="02-0000-7777", updated_by="test", updated_at=datetime.now(timezone.utc),
        ))
    started = time.monotonic()
    for attempt in range(1000):
        # A fresh conversation each time: two misses in one would hand it to a person.
        text = stack.texts(stack.say(f"edit-{int(started)}-{attempt}", "드론 라이트쇼 언제 해요"))
        if marker in text:
            break
        assert time.monotonic() - started < 5, f"edit not answerable after 5 s: {text}"
        time.sleep(0.25)


@pytest.mark.parametrize(
    ("body", "status", "expect"),
    [
        (b'{"sender":"bad-1","message":""}', 200, "글로 적어"),                    # empty
        (b'{"sender":"bad-1","message":"   \\n\\t "}', 200, "글로 적어"),          # whitespace only
        ('{"sender":"bad-1","message":"😀😀😀"}'.encode(), 200, "글로 적어"),      # emoji only
        (b'{"sender":"bad-1"', 400, "JSON"),                                        # malformed JSON
        (b'["sender", "message"]', 400, "JSON"),                                    # not an object
        (b'{"message":"hi"}', 400, "sender"),                                       # no sender
        (b'{"sender":"bad-1","message":{"a":1}}', 400, "message"),                 # not a string
        (b'{"sender":"bad-1","message":"\xff\xfe\xfa\xfb"}', 400, "UTF-8"),        # non-UTF-8 bytes
        ('{"sender":"bad-1","message":"여권 재발급"}'.encode("cp949"), 200, "여권"),  # CP949 is read
    ],
)
def test_bad_input_gets_a_clear_error_or_a_polite_reply(stack, body, status, expect):
    r = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", content=body, timeout=30)
    assert r.status_code == status, r.text
    payload = r.json()
    text = stack.texts(payload) if isinstance(payload, list) else payload["message"]
    assert expect in text, text


def test_long_and_mixed_messages(stack):
    # 10,000 characters is the most a message may have: answered, not refused.
    long_text = ("수도요금 자동이체 신청하고 싶은데요 " * 600)[:10_000]
    r = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                   json={"sender": "long-1", "message": long_text}, timeout=60)
    assert r.status_code == 200 and r.json(), r.text
    r = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                   json={"sender": "long-1", "message": "가" * 10_001}, timeout=30)
    assert r.status_code == 413 and "10,000" in r.json()["message"]
    mixed = stack.texts(stack.say("mixed-1", "passport 재발급 fee 얼마예요 2026년"))
    assert mixed.strip()


def test_api_down_gets_polite_reply_and_spooled_ticket_survives(stack):
    """Runs last in this module: stops and restarts the API."""
    stack.stop("api")
    try:
        reply = stack.texts(stack.say("down-1", "여권 재발급 준비물"))
        assert "불러올 수 없습니다" in reply and "02-0000-0120" in reply
        reply = stack.texts(stack.say("down-1", "상담원 연결해 주세요"))
        assert "상담원" in reply
    finally:
        stack.start_api()
    [ticket] = _tickets(stack, "down-1")
    assert ticket.reason == "requested_human"
    assert any(m.text == "여권 재발급 준비물" for m in ticket.messages)
