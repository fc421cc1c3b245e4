"""Business hours of the counsellors, Korean public holidays included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from minwon.settings import HoursSettings

WEEKDAY_KO = "월화수목금토일"


@lru_cache(maxsize=4)
def _korean_holidays(years: tuple[int, ...]) -> holidays.HolidayBase:
    # The package follows the official calendar (substitute holidays, election days as
    # they are declared); hand-coded dates go stale every year.
    return holidays.country_holidays("KR", years=years, language="ko")


@dataclass(frozen=True)
class Availability:
    open: bool
    now: datetime
    opens_at: datetime | None  # next opening when closed
    closes_at: datetime | None  # today's closing when open
    closed_reason: str | None  # holiday name, "주말", "업무 시간 외"

    def as_dict(self) -> dict[str, object]:
        return {
            "open": self.open,
            "now": self.now.isoformat(),
            "opens_at": self.opens_at.isoformat() if self.opens_at else None,
            "closes_at": self.closes_at.isoformat() if self.closes_at else None,
            "closed_reason": self.closed_reason,
            "reopen_text": reopen_text(self) if self.opens_at else None,
        }


class BusinessHours:
    def __init__(self, config: HoursSettings) -> None:
        self.config = config
        self.tz = ZoneInfo(config.timezone)

    def holiday_name(self, day: date) -> str | None:
        if day in self.config.closed_dates:
            return "휴무일"
        name = _korean_holidays((day.year - 1, day.year, day.year + 1)).get(day)
        return str(name) if name else None

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.config.weekdays and self.holiday_name(day) is None

    def availability(self, now: datetime | None = None) -> Availability:
        now = (now or datetime.now(self.tz)).astimezone(self.tz)
        today = now.date()
        start = datetime.combine(today, self.config.open, self.tz)
        end = datetime.combine(today, self.config.close, self.tz)
        if self.config.force == "open":
            return Availability(True, now, None, None, None)
        in_hours = self.is_working_day(today) and start <= now < end
        if self.config.force == "auto" and in_hours:
            return Availability(True, now, None, end, None)
        reason = "업무 시간 외" if self.is_working_day(today) else (self.holiday_name(today) or "주말")
        return Availability(False, now, self.next_opening(now), None, reason)

    def next_opening(self, now: datetime) -> datetime:
        day = now.date()
        if self.is_working_day(day) and now < datetime.combine(day, self.config.open, self.tz):
            return datetime.combine(day, self.config.open, self.tz)
        for _ in range(60):  # the longest Korean holiday run is about a week
            day += timedelta(days=1)
            if self.is_working_day(day):
                return datetime.combine(day, self.config.open, self.tz)
        return datetime.combine(day, self.config.open, self.tz)


def clock_text(t: datetime) -> str:
    """오전 9시 / 오후 1시 30분, as a public office says it."""
    half = "오전" if t.hour < 12 else "오후"
    hour = t.hour % 12 or 12
    return f"{half} {hour}시" + (f" {t.minute}분" if t.minute else "")


def reopen_text(a: Availability) -> str:
    """'내일(화) 오전 9시', '오늘 오전 9시', '10월 5일(월) 오전 9시'."""
    assert a.opens_at is not None
    days = (a.opens_at.date() - a.now.date()).days
    day = a.opens_at.date()
    weekday = WEEKDAY_KO[day.weekday()]
    if days == 0:
        label = "오늘"
    elif days == 1:
        label = f"내일({weekday})"
    elif days == 2:
        label = f"모레({weekday})"
    else:
        label = f"{day.month}월 {day.day}일({weekday})"
    return f"{label} {clock_text(a.opens_at)}"


def is_urgent(text: str, keywords: list[str]) -> bool:
    compact = text.replace(" ", "")
    return any(k.replace(" ", "") in compact for k in keywords)
