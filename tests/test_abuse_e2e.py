"""Counsellor protection end to end: the real API (detector, strikes in the DB), action
server and Rasa (AbuseScreen, EndedConversationPolicy); widget/REST, KakaoTalk replayed
from Kakao's documented payloads, the voice channel's input, and the console API."""

from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy import select

from minwon.db.models import Ticket
from minwon.db.session import make_engine, session_scope
from tests.stack import SERVICE_HEADERS
from tests.test_kakao_e2e import all_text, fixture, skill, valid

pytestmark = pytest.mark.slow

INSULTS = ["씨발 대답 똑바로 해", "병신 같은 챗봇", "미친놈아 장난하냐"]


def markers(replies: list[dict]) -> list[dict]:
    """Each message's kind (custom.minwon) with its details, as {"kind": …, "level": …}."""
    customs = [r.get("custom") for r in replies if isinstance(r.get("custom"), dict)]
    return [{"kind": c["minwon"], **{k: v for k, v in c.items() if k != "minwon"}}
            for c in customs if isinstance(c.get("minwon"), str)]


def kinds(replies: list[dict]) -> list[str]:
    return [m.get("kind") for m in markers(replies)]


def sender(tag: str) -> str:
    return f"abuse-{tag}-{time.time_ns()}"


def tickets(stack, conversation_id: str) -> list[Ticket]:
    with session_scope(make_engine(stack.full_env()["MINWON_DATABASE_URL"])) as s:
        return list(s.scalars(select(Ticket).where(Ticket.conversation_id == conversation_id)))


def test_three_strikes_warn_twice_then_end_and_it_stays_ended(stack):
    me = sender("rest")
    first = stack.say(me, INSULTS[0])
    assert kinds(first) == ["abuse_warning"] and markers(first)[0]["level"] == 1, first
    assert "산업안전보건법" in stack.texts(first)
    second = stack.say(me, INSULTS[1])
    assert markers(second)[0] == {"kind": "abuse_warning", "level": 2}, second
    assert "종료" in stack.texts(second)  # the second warning names the consequence
    third = stack.say(me, INSULTS[2])
    assert kinds(third) == ["conversation_ended"], third
    assert "상담을 종료합니다" in stack.texts(third) and "제41조" in stack.texts(third)
    # Later messages, even a polite question, get only the closing reply: no answer, no ticket.
    for later in ("여권 재발급 준비물 알려 주세요", "상담원 연결해 주세요"):
        replies = stack.say(me, later)
        assert kinds(replies) == ["conversation_ended"], replies
        assert "종료되었습니다" in stack.texts(replies) and "준비물" not in stack.texts(replies)
    assert tickets(stack, me) == []


def test_sexual_harassment_ends_at_once(stack):
    me = sender("sexual")
    replies = stack.say(me, "아가씨 몇 살이야 남자친구 있어")
    assert kinds(replies) == ["conversation_ended"], replies
    assert markers(replies)[0]["reason"] == "sexual"
    assert "성희롱" in stack.texts(replies)


@pytest.mark.parametrize("text", ["담배꽁초 버리는 놈들 좀 단속해 주세요", "과태료가 너무 억울해요 진짜 화가 나네요",
                                  "시발점 정류장 위치 알려 주세요"])
def test_angry_but_legitimate_is_not_warned(stack, text):
    replies = stack.say(sender("angry"), text)
    assert "abuse_warning" not in kinds(replies) and "conversation_ended" not in kinds(replies), replies
    assert replies, "an angry citizen still gets an answer"


def test_distress_gets_the_crisis_lines_not_a_warning(stack):
    replies = stack.say(sender("distress"), "죽을 것 같이 힘들어요 생계가 막막해요")
    text = stack.texts(replies)
    assert "109" in text and "129" in text and "abuse_warning" not in kinds(replies), replies


def test_a_warned_citizen_who_asks_for_a_person_is_flagged_not_queued_normally(stack):
    me = sender("flag")
    stack.say(me, INSULTS[0])
    stack.say(me, "상담원 연결해 주세요")
    assert all(t.reason == "abusive" for t in tickets(stack, me))


def test_voice_channel_three_strikes_end_the_call(stack):
    me = sender("voice")
    levels = [kinds(stack.say(me, t, channel="voice")) for t in INSULTS]
    assert levels == [["abuse_warning"], ["abuse_warning"], ["conversation_ended"]], levels


def test_kakao_three_strikes_and_the_console_shows_the_incident(stack):
    u = f"kakao-abuse-{time.time_ns()}"
    replies = [valid(skill(stack, fixture("text.json", u, t))) for t in INSULTS]
    assert "종료" in all_text(replies[2]) and "제41조" in all_text(replies[2]), replies[2]
    after = valid(skill(stack, fixture("text.json", u, "여권 재발급 준비물 알려 주세요")))
    assert "종료되었습니다" in all_text(after)

    stack.add_user("abuse-sup", role="supervisor", password="sup-pw-12345")
    with stack.console("abuse-sup", "sup-pw-12345") as sup:
        incidents = sup.get("/api/console/abuse/incidents").json()
        mine = [i for i in incidents if i["conversation_id"] == f"kakao:{u}"]
        assert mine and mine[0]["kind"] == "ended_three_strikes", incidents[:3]
        ev = sup.get(f"/api/console/abuse/incidents/{mine[0]['id']}/evidence")
        assert ev.status_code == 200 and "attachment" in ev.headers["content-disposition"]
        body = ev.json()
        assert [s["level"] for s in body["strikes"]] == [1, 2, 3]
        assert any(t.get("text") == INSULTS[0] for t in body["transcript"])
        history = sup.get(f"/api/console/abuse/conversations/kakao:{u}").json()
        assert history["ended"] is True and len(history["strikes"]) == 3
        # Three strikes put the citizen on the repeat-caller list; bar for a week, then lift.
        key = mine[0]["citizen_key"]
        assert key in [r["citizen_key"] for r in sup.get("/api/console/abuse/repeat-callers").json()]
        r = sup.post(f"/api/console/abuse/repeat-callers/{key}/bar", json={"reason": "반복 폭언", "days": 7})
        assert r.status_code == 200, r.text
        row = next(x for x in sup.get("/api/console/abuse/repeat-callers").json() if x["citizen_key"] == key)
        assert row["barred"] is True
        assert sup.post(f"/api/console/abuse/repeat-callers/{key}/lift").status_code == 200
        row = next(x for x in sup.get("/api/console/abuse/repeat-callers").json() if x["citizen_key"] == key)
        assert row["barred"] is False


def test_counsellor_marks_an_incident_takes_a_break_but_cannot_see_the_supervisor_list(stack):
    stack.add_user("abuse-c", role="counsellor", password="c-pw-1234567")
    with stack.console("abuse-c", "c-pw-1234567") as c:
        r = c.post("/api/console/abuse/incidents", json={"conversation_id": "conv-x", "note": "폭언",
                                                          "end_conversation": True})
        assert r.status_code == 201 and r.json()["kind"] == "ended_by_counsellor", r.text
        b = c.post("/api/console/abuse/breaks", json={"minutes": 15, "incident_id": r.json()["id"]})
        assert b.status_code == 201 and b.json()["username"] == "abuse-c"
        assert c.get("/api/console/abuse/incidents").status_code == 403
        # Without the CSRF header an unsafe request is refused, as everywhere in the console.
        no_csrf = httpx.post(f"{stack.api_url}/api/console/abuse/breaks", json={"minutes": 15},
                             cookies=c.cookies, timeout=10)
        assert no_csrf.status_code == 403
    assert httpx.get(f"{stack.api_url}/api/console/abuse/incidents", timeout=10).status_code == 401


@pytest.mark.parametrize("what,text,status", [("empty", "", 200), ("emoji", "🙂🙂🔥", 200),
                                               ("10,000 chars", "가" * 10_000, 200),
                                               ("over the limit", "가" * 20_001, 422)])
def test_the_detector_takes_odd_input(stack, what, text, status):
    r = httpx.post(f"{stack.api_url}/api/abuse/classify", json={"text": text}, headers=SERVICE_HEADERS, timeout=10)
    assert r.status_code == status, (what, r.text)
    if status == 200:
        assert r.json()["label"] == "none", what


def test_internal_routes_want_the_service_token(stack):
    assert httpx.post(f"{stack.api_url}/api/abuse/classify", json={"text": "x"}, timeout=10).status_code in (401, 403)


@pytest.mark.parametrize("text", ["🙂🙂🔥", "가" * 10_000])
def test_odd_messages_get_a_reply_not_a_warning(stack, text):
    replies = stack.say(sender("odd"), text)
    assert replies and "abuse_warning" not in kinds(replies), replies
