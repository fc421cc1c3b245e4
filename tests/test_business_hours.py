"""Counsellors' hours: weekdays 09–18 Seoul time, Korean public holidays from the
holidays package (substitute holidays included), agency closures, forced modes."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from minwon.handoff.hours import BusinessHours, is_urgent, reopen_text
from minwon.settings import HandoffSettings, HoursSettings

SEOUL = ZoneInfo("Asia/Seoul")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


def hours(**kw) -> BusinessHours:
    return BusinessHours(HoursSettings(**kw))


@pytest.mark.parametrize(
    ("now", "is_open", "reason", "reopen"),
    [
        (at(2026, 11, 23, 10, 0), True, None, None),  # Monday morning
        (at(2026, 11, 23, 8, 59), False, "업무 시간 외", "오늘 오전 9시"),
        (at(2026, 11, 23, 18, 0), False, "업무 시간 외", "내일(화) 오전 9시"),
        (at(2026, 11, 22, 14, 0), False, "주말", "내일(월) 오전 9시"),  # Sunday
        (at(2026, 11, 20, 18, 30), False, "업무 시간 외", "11월 23일(월) 오전 9시"),  # Friday evening
        (at(2026, 10, 9, 11, 0), False, "한글날", "10월 12일(월) 오전 9시"),  # Hangeul Day, a Friday
        (at(2026, 3, 2, 11, 0), False, "삼일절 대체 휴일", "내일(화) 오전 9시"),  # substitute holiday
        (at(2026, 2, 13, 18, 0), False, "업무 시간 외", "2월 19일(목) 오전 9시"),  # before Seollal
        (at(2026, 9, 23, 17, 59), True, None, None),  # the day before Chuseok's eve
    ],
)
def test_open_closed_and_when_counsellors_are_back(now, is_open, reason, reopen):
    a = hours().availability(now)
    assert a.open is is_open
    assert a.closed_reason == reason
    assert (reopen_text(a) if a.opens_at else None) == reopen


def test_times_given_in_utc_are_judged_in_seoul():
    a = hours().availability(datetime.fromisoformat("2026-11-23T00:30:00+00:00"))  # 09:30 KST
    assert a.open and a.closes_at == at(2026, 11, 23, 18, 0)


def test_agency_closures_and_other_hours_are_configurable():
    h = hours(closed_dates=[date(2026, 11, 24)], open="08:00", close="20:00", weekdays=[0, 1, 2, 3, 4, 5])
    assert h.availability(at(2026, 11, 23, 19, 30)).open
    closed = h.availability(at(2026, 11, 24, 10, 0))
    assert not closed.open and closed.closed_reason == "휴무일"
    assert reopen_text(closed) == "내일(수) 오전 8시"
    assert h.availability(at(2026, 11, 28, 10, 0)).open  # a Saturday, now a working day


def test_forced_modes_for_round_the_clock_centres_and_drills():
    assert hours(force="open").availability(at(2026, 11, 22, 3, 0)).open
    assert not hours(force="closed").availability(at(2026, 11, 23, 10, 0)).open


@pytest.mark.parametrize(
    ("text", "urgent"),
    [("집 앞에 물이 새요", True), ("도로에 싱크홀이 생겼어요", True), ("가스냄새가 나요", True),
     ("여권 재발급 준비물", False), ("", False)],
)
def test_urgent_matters_are_recognised_for_the_duty_officer(text, urgent):
    assert is_urgent(text, HandoffSettings().urgent_keywords) is urgent


def test_supervisor_day_is_the_seoul_day_whatever_the_utc_date(tmp_path):
    """00:15 in Seoul is still the previous day in UTC: today's figures must count it."""
    from datetime import timedelta, timezone

    from minwon.db.models import Ticket
    from minwon.db.session import make_engine, migrate, session_scope
    from minwon.handoff.queue import day_bounds, stats

    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    migrate(engine)
    now_seoul = at(2026, 11, 23, 0, 15)
    created = now_seoul.astimezone(timezone.utc) - timedelta(minutes=5)
    with session_scope(engine) as s:
        s.add(Ticket(conversation_id="c", channel="web", reason="requested_human", created_at=created,
                     status="resolved", claimed_by="kim", claimed_at=created + timedelta(seconds=10),
                     resolved_at=created + timedelta(minutes=3)))
    start, end = day_bounds(now_seoul)
    figures = stats(engine, start, end, [20, 60])
    assert figures["offered_today"] == 1 and figures["handled_by"] == {"kim": 1}
    assert figures["service_level"] == {"20": 1.0, "60": 1.0}
