"""Rewrite Korean answer text into the words a public-office agent would say on the phone.

``to_speech`` turns the written form of an answer, e.g. "평일(월~금) 09:00~18:00, ☎ 061-749-3114",
into what a text-to-speech engine should say: "평일 월요일부터 금요일까지 아홉 시부터 열여덟 시까지,
전화 공육일, 칠사구, 삼일일사". Standard library only: precompiled regular expressions, about half a
millisecond for a 500-character answer, so it can run on every answer right before synthesis.

Rules, and the choice made wherever Korean allows more than one reading:

Numbers
    * Plain numbers are Sino-Korean, grouped by 만/억/조 with a space between groups
      (12,000 → "만 이천", 1,500,000 → "백오십만"). A leading 1 is silent before 십/백/천/만
      ("십", "천백", "만 원") but said before 억/조 ("일억").
    * "3만", "5천만", "1.5억" are read as the amount they write ("삼만", "오천만", "일억 오천만").
    * Decimals: "1.5" → "일 점 오"; the digits after the point are read one by one.
      A minus sign before a number is "마이너스".
    * Digit strings that are codes rather than amounts are read digit by digit with 0 as "공":
      a leading zero ("04524"), seven or more digits without commas, or three or more digits right
      after 전화, 내선, 팩스, 국번 없이, 우편번호, 접수번호 and the like.
    * Native Korean numbers (한, 두, 세, 네, 스무, 스물한 …) before the counters that take them:
      개 장 명 시간 살 권 가지 마리 곳 군데 자리 배 채 벌 잔 통 켤레 그루 송이, 번째 (1 → "첫 번째")
      and 째 (첫째, 둘째 …). From 100 on the Sino-Korean form is used ("백이십 명"), as people do;
      after 제 a number is always Sino-Korean ("제이 장").
    * 번 is a label, Sino-Korean ("삼 번 출구", "일 번을 누르세요"), unless the words around it say it
      counts times: "최대 세 번까지", "하루 두 번", "세 번 이상".
    * All other counters are Sino-Korean: 분 초 일 월 년 원 층 호선 호 동 회 차 주 개월 세 %, km, ㎡ …,
      with a space between number and counter ("이 호선", "삼십 퍼센트", "만 이천 원").
      "B1층" is "지하 일 층".
Time
    * The clock is read as written: hours in native Korean up to 24 ("다섯 시", "열여덟 시",
      "스물네 시"; 0 → "영 시"), minutes and seconds Sino-Korean ("십오 분"); ":00" and "00분" are
      dropped, "반" is kept. 오전/오후 are kept when the text has them and never added, so
      "09:00~18:00" is "아홉 시부터 열여덟 시까지", never a guessed "오후 여섯 시".
Dates
    * "2026-03-01", "2026.3.1.", "2026. 3. 1." and "2026년 3월 1일" all read "이천이십육 년 삼 월 일 일";
      "2026.03" and "2026. 3." read "이천이십육 년 삼 월". 6월 and 10월 are "유월" and "시월".
      A weekday in parentheses after a date becomes "일요일"; "(월~금)" and "월~금" become
      "월요일부터 금요일까지". "3·1절", "8·15" and the other anniversaries are read the way they are
      named ("삼일절", "팔일오").
Ranges ("~", and "-" between two small numbers followed by a counter, or between two times)
    * Points in time (clock times, 시, 월, dates, four-digit years) → "A부터 B까지"; an 에 right
      after the range folds into 까지 ("(5~10월)에는" → "오 월부터 시월까지는"). "사이" or a word
      that is not a particle right after the range gives "A에서 B" instead.
    * Quantities (분 as a duration, 일 as a number of days, 원, %, 세 …) → "A에서 B"
      ("십오 분에서 이십 분 간격"), as the project's own spoken answers say it; "사이" is not added
      because the sentence usually goes on ("간격", "소요").
    * A counter written only after the second number is said after the first one too
      ("7~9시" → "일곱 시부터 아홉 시까지"; "3~5만원" → "삼만에서 오만 원").
    * "16일~" → "십육 일부터", "~3월 31일" → "삼 월 삼십일 일까지".
Phone numbers and service numbers
    * Phone-shaped dashed numbers are read digit by digit, 0 as "공", with a comma at each dash so
      the engine pauses: "061-749-3114" → "공육일, 칠사구, 삼일일사"; "02-120" → "공이, 일이공".
    * Other dashed numbers (lot and document numbers) are numbers joined by "다시", as in
      addresses: "123-4번지" → "백이십삼 다시 사 번지".
    * Bare service numbers: 120 is always "백이십" (Seoul's 다산콜센터 says it so). 112 and 119 are
      always "일일이" and "일일구": nobody says "백십구". Four-digit numbers from 1300 to 1899
      without a counter (1330, 1339, 1588 …) are read digit by digit. Other numbers of three or
      four digits starting with 1 are read digit by digit when a phone word is near (국번 없이,
      전화, 콜센터, 센터, 신고, 문의 …): "국번 없이 110번" → "국번 없이 일일공 번".
Symbols and layout
    * URLs: a URL that fills a parenthesis is dropped, because the sentence already names the site
      ("누리집(www.yesi.go.kr)에서" → "누리집에서"); any other URL becomes "누리집". E-mail
      addresses become "전자우편". ☎ and Tel become "전화", Fax "팩스".
    * Line breaks become sentence pauses (". "). Bullets at line starts (-, •, ※, ▶, ■ …) are
      dropped; numbered items ("1.", "2)") and ①, ② … become "첫째,", "둘째," ….
    * Parentheses, brackets and quotes are dropped, their content is kept; a particle after a
      closing parenthesis is made to fit the content ("납부필증(스티커)을" → "납부필증 스티커를").
      "·", "/", "→", ":" and " > " (menu paths) become ", "; "&" becomes "및"; fractions "1/2"
      read "이 분의 일"; ratios "3:1" read "삼 대 일"; a "~" that is not part of a range is dropped.
    * Emoji are removed; Latin text is left alone.

``to_speech`` never raises on a string, gives the same text when run on its own output, and
leaves prose without digits or symbols unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

__all__ = ["native_number", "read_digits", "sino_number", "to_speech"]

# ---------------------------------------------------------------------------------------------
# Number words
# ---------------------------------------------------------------------------------------------

_SINO_DIGITS = "영일이삼사오육칠팔구"
_NATIVE_ONES = ("", "하나", "둘", "셋", "넷", "다섯", "여섯", "일곱", "여덟", "아홉")
_NATIVE_ONES_ATTRIBUTIVE = ("", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉")
_NATIVE_TENS = ("", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔")
_GROUP_NAMES = ("", "만", "억", "조", "경")
_ORDINALS = {1: "첫째", 2: "둘째", 3: "셋째", 4: "넷째"}
_MONTH_NAMES = {6: "유월", 10: "시월"}
_WEEKDAYS = "월화수목금토일"


def read_digits(digits: str, zero: str = "공") -> str:
    """Read each ASCII digit on its own ("0613" → "공육일삼"); other characters are skipped."""
    return "".join(zero if c == "0" else _SINO_DIGITS[ord(c) - 48] for c in digits if "0" <= c <= "9")


def _sino_below_10000(n: int) -> str:
    words = []
    for value, name in ((1000, "천"), (100, "백"), (10, "십")):
        digit, n = divmod(n, value)
        if digit:
            # "천", not "일천": a 1 before 십/백/천 is silent in speech.
            words.append(("" if digit == 1 else _SINO_DIGITS[digit]) + name)
    if n:
        words.append(_SINO_DIGITS[n])
    return "".join(words)


def sino_number(n: int) -> str:
    """Read an integer in Sino-Korean, spaced by 만-groups: 12000 → "만 이천", 10**8 → "일억"."""
    if n < 0:
        return "마이너스 " + sino_number(-n)
    if n == 0:
        return "영"
    if n >= 10 ** (4 * len(_GROUP_NAMES)):
        return read_digits(str(n), zero="영")  # beyond 경 nobody reads it as an amount
    groups = []
    for name in _GROUP_NAMES:
        n, group = divmod(n, 10_000)
        if group:
            # 10,000 is "만", never "일만"; 억 and 조 keep their 일 ("일억").
            head = "" if group == 1 and name == "만" else _sino_below_10000(group)
            groups.append(head + name)
        if not n:
            break
    return " ".join(reversed(groups))


def native_number(n: int, attributive: bool = True) -> str:
    """Read 1-99 in native Korean; outside that range fall back to Sino-Korean.

    The attributive form is the one used before a counter (한 개, 두 명, 스무 살); with
    ``attributive=False`` the counting form is returned (하나, 둘, 스물).
    """
    if not 1 <= n <= 99:
        return sino_number(n)
    if attributive and n == 20:
        return "스무"
    tens, ones = divmod(n, 10)
    ones_words = _NATIVE_ONES_ATTRIBUTIVE if attributive else _NATIVE_ONES
    return _NATIVE_TENS[tens] + ones_words[ones]


def _hour_words(n: int) -> str:
    if n == 0:
        return "영"
    return native_number(n) if n <= 24 else sino_number(n)


def _ordinal(n: int) -> str:
    if n in _ORDINALS:
        return _ORDINALS[n]
    return native_number(n) + "째" if n < 100 else sino_number(n) + " 번째"


def _month_words(n: int) -> str:
    if n in _MONTH_NAMES:
        return _MONTH_NAMES[n]
    return f"{sino_number(n)} 월"


def _decimal_words(number: str) -> str:
    """Read "1.5" as "일 점 오"; the part after the point digit by digit."""
    whole, _, fraction = number.replace(",", "").partition(".")
    words = sino_number(int(whole or "0"))
    return f"{words} 점 {read_digits(fraction, zero='영')}" if fraction else words


# ---------------------------------------------------------------------------------------------
# Counters and units
# ---------------------------------------------------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NATIVE_COUNTERS = _word_set("시간 가지 군데 켤레 그루 송이 마리 번째 자리 개 장 명 살 권 곳 배 채 벌 잔 통")
# Sino counters are listed so the number gets a space before them and so the longer word wins
# over a native counter that starts the same way (개월 over 개, 권역 over 권).
_SINO_COUNTERS = _word_set(
    "개월 개소 개국 개년 권역 호선 호실 호차 번지 학년 단계 등급 주년 주일 년도 세대 가구 인분 달러 퍼센트 "
    "킬로미터 센티미터 센티 미터 킬로그램 킬로 리터 분 초 일 월 년 원 층 번 호 동 회 차 주 세 인 박 도 점 "
    "건 등 위 급 기 대 반 항 쪽 매 톤 평 째"
)
_LATIN_UNITS = {
    "%p": "퍼센트포인트",
    "%": "퍼센트",
    "km²": "제곱킬로미터",
    "㎢": "제곱킬로미터",
    "m²": "제곱미터",
    "㎡": "제곱미터",
    "km": "킬로미터",
    "㎞": "킬로미터",
    "kg": "킬로그램",
    "㎏": "킬로그램",
    "cm": "센티미터",
    "㎝": "센티미터",
    "mm": "밀리미터",
    "㎜": "밀리미터",
    "ml": "밀리리터",
    "mL": "밀리리터",
    "㎖": "밀리리터",
    "ℓ": "리터",
    "℃": "도",
    "m³": "세제곱미터",
    "㎥": "세제곱미터",
    "cc": "시시",
    "m": "미터",
    "g": "그램",
    "L": "리터",
}
_MAX_AMOUNT_DIGITS = 20  # longer digit runs are codes, and int() refuses very long strings anyway
_MAGNITUDES = {"십": 10, "백": 100, "천": 1000, "만": 10**4, "억": 10**8, "조": 10**12}


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "개월" is tried before "개" and "번째" before "번".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_MAG = r"[천백십]?(?:조|억|만)|천|백"
# Korean counters must touch the number ("5 시민" is not five o'clock); 원 and Latin units may not.
_UNIT = (
    rf"(?:{_alternation(_NATIVE_COUNTERS | _SINO_COUNTERS)})"
    rf"|\ ?(?:원|(?:{_alternation(_LATIN_UNITS)})(?![A-Za-z]))"
)

# ---------------------------------------------------------------------------------------------
# Context words
# ---------------------------------------------------------------------------------------------

_DIGIT_CONTEXT_BEFORE = re.compile(
    r"(?:국번\s?없이|전화(?:번호)?|팩스|내선|연락처|(?:우편|계좌|대표|접수|신청|고객|사업자|등록)번호"
    r"|콜센터|상담센터)\s*(?:은|는|:|,|\()?\s*$"
)
_PHONE_AFTER = re.compile(
    r"\s?(?:번\s?)?(?:으로|로|에서|에|번으로)?\s?[가-힣]{0,10}?(?:콜센터|센터|전화|신고|연락|문의|상담)"
)
_ALWAYS_DIGITS = frozenset({"112", "119"})
_TIMES_BEFORE = re.compile(
    r"(?:연|(?<![0-9])월|주|하루|하루에|달에|년에|주에|일에|매년|매월|매주|매일|최대|최소|총|모두|한\s?번에)\s*$"
)
_TIMES_AFTER = re.compile(r"\s?(?:이상|이하|까지|정도|씩|더|만에|만|이내|미만|초과|가량|쯤|연속|내외|밖에)")


def _unit_words(unit: str) -> str:
    return _LATIN_UNITS.get(unit, unit)


def _is_code(digits: str, before: str, after: str) -> bool:
    """Tell a phone or service number from an amount, from its shape and the words around it."""
    if digits == "120":
        return False  # Seoul's 120 다산콜센터 is said "백이십"
    if digits in _ALWAYS_DIGITS:
        return True
    if len(digits) >= 3 and _DIGIT_CONTEXT_BEFORE.search(before):
        return True
    if len(digits) == 4 and "13" <= digits[:2] <= "18":
        return True  # 1339, 1588, 1330 …: nationwide service numbers, never written as amounts
    return len(digits) in (3, 4) and digits[0] == "1" and _PHONE_AFTER.match(after) is not None


def _counts_times(before: str, after: str) -> bool:
    return bool(_TIMES_BEFORE.search(before) or _TIMES_AFTER.match(after))


def _integer_with_unit(digits: str, unit: str, before: str, after: str) -> str:
    if len(digits) > _MAX_AMOUNT_DIGITS:
        return read_digits(digits) + (f" {_unit_words(unit)}" if unit else "")
    n = int(digits)
    ordinal_prefix = before.endswith("제")
    if unit in ("", "번") and _is_code(digits, before, unit + after):
        return read_digits(digits) + (" 번" if unit else "")
    if not unit:
        if (digits[0] == "0" and len(digits) > 1) or len(digits) >= 7:
            return read_digits(digits)
        return sino_number(n)
    if unit == "월":
        return _month_words(n)
    if unit == "째":
        return _ordinal(n)
    native = not ordinal_prefix and 1 <= n <= 99
    if unit == "번째" and native:
        return "첫 번째" if n == 1 else f"{native_number(n)} 번째"
    if unit == "번" and native and _counts_times(before, after):
        return f"{native_number(n)} 번"
    if unit in _NATIVE_COUNTERS and native:
        return f"{native_number(n)} {unit}"
    return f"{sino_number(n)} {_unit_words(unit)}"


def _amount_words(number: str, magnitude: str) -> str:
    """Read "3", "12,000", "1.5" optionally scaled by 만/천/억 ("1.5억" → "일억 오천만")."""
    if len(number) > _MAX_AMOUNT_DIGITS:
        return read_digits(number, zero="영") + magnitude
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return read_digits(number, zero="영")
    for char in magnitude:
        value *= _MAGNITUDES[char]
    if value == value.to_integral_value():
        return sino_number(int(value))
    return _decimal_words(number) + magnitude


def _quantity(m: re.Match[str]) -> str:
    number, magnitude, unit = m["num"], m["mag"] or "", (m["unit"] or "").strip()
    text = m.string
    before, after = text[max(0, m.start() - 16) : m.start()], text[m.end() : m.end() + 16]
    if not magnitude and number.isdigit():
        return _integer_with_unit(number, unit, before, after)
    words = _amount_words(number, magnitude)
    return f"{words} {_unit_words(unit)}" if unit else words


# ---------------------------------------------------------------------------------------------
# Main number pass: one regex, the first alternative that matches at a position wins.
# ---------------------------------------------------------------------------------------------

# No look-behinds: every alternative ends where the digits end and the last one matches any digit,
# so no match can begin inside a number. The leading look-ahead lets the engine reject a non-digit
# position with one test instead of trying all six alternatives.
_NUMBER = re.compile(
    rf"""
    (?=[0-9])(?:
    (?P<dash>[0-9]+(?:-[0-9]+)+)(?![0-9])(?P<dunit>{_UNIT})?
  | (?P<ch>[01]?[0-9]|2[0-4]):(?P<cm>[0-5][0-9])(?::(?P<cs>[0-5][0-9]))?(?![0-9:])
  | (?P<ra>[0-9]+)\ ?:\ ?(?P<rb>[0-9]+)(?![0-9:])
  | (?P<fa>[0-9]{{1,3}})/(?P<fb>[0-9]{{1,3}})(?![0-9/])
  | (?P<h>[0-9]{{1,2}})시(?!간)(?:\ ?(?P<hm>[0-9]{{1,2}})분)?
  | (?P<num>{_NUM})(?P<mag>{_MAG})?(?P<unit>{_UNIT})?
    )""",
    re.VERBOSE,
)


def _dashed(m: re.Match[str]) -> str:
    groups = m["dash"].split("-")
    unit = (m["dunit"] or "").strip()
    first = groups[0]
    phone = (
        first.startswith("0")
        or len(groups) >= 3
        or re.fullmatch(r"1[5-9][0-9]{2}", first) is not None
        or (len(first) in (3, 4) and len(groups[1]) == 4)
    )
    # A comma at each dash makes the engine pause where a person would.
    words = (
        ", ".join(map(read_digits, groups)) if phone else " 다시 ".join(sino_number(int(g)) for g in groups)
    )
    return f"{words} {_unit_words(unit)}" if unit else words


def _clock(hour: int, minute: int, second: int = 0) -> str:
    words = f"{_hour_words(hour)} 시"
    if minute:
        words += f" {sino_number(minute)} 분"
    if second:
        words += f" {sino_number(second)} 초"
    return words


def _number(m: re.Match[str]) -> str:
    if m["dash"]:
        return _dashed(m)
    if m["ch"]:
        return _clock(int(m["ch"]), int(m["cm"]), int(m["cs"] or 0))
    if m["ra"]:
        return f"{sino_number(int(m['ra']))} 대 {sino_number(int(m['rb']))}"
    if m["fa"]:
        a, b = int(m["fa"]), int(m["fb"])
        if 0 < a < b <= 10:
            return f"{sino_number(b)} 분의 {sino_number(a)}"
        return f"{sino_number(a)}, {sino_number(b)}"
    if m["h"]:
        return _clock(int(m["h"]), int(m["hm"] or 0))
    return _quantity(m)


# ---------------------------------------------------------------------------------------------
# Dates and weekdays
# ---------------------------------------------------------------------------------------------

_MONTH = r"0?[1-9]|1[0-2]"
_DAY = r"0?[1-9]|[12][0-9]|3[01]"
# "2026-03-01", "2026.3.1.", "2026. 3. 1."; year and month as "2026. 3." or "2026.03" (a year
# from 1900 on, so that "2026.03" is not read as a decimal nobody would write).
_NUMERIC_DATE = re.compile(
    rf"""
    (?P<y>[0-9](?<![0-9.][0-9])[0-9]{{3}})
    (?:\ ?(?P<sep>[-./])\ ?(?P<m>{_MONTH})\ ?(?P=sep)\ ?(?P<d>{_DAY})(?![0-9])(?P<dot>\.)?
      | \.\ ?(?P<ym>{_MONTH})(?P<ymdot>\.)(?!\ ?[0-9])
      | (?<=(?:19|20)[0-9]{{2}})\.(?P<ym2>{_MONTH})(?![0-9.])
    )""",
    re.VERBOSE,
)
_MONTH_DAY_WEEKDAY = re.compile(
    rf"(?=[0-9](?<![0-9./][0-9]))(?P<m>{_MONTH})\ ?[./]\ ?(?P<d>{_DAY})\.?(?=\ ?\([{_WEEKDAYS}]\))",
    re.VERBOSE,
)


def _keep_final_dot(dot: str | None, m: re.Match[str], words: str) -> str:
    # "…2026.3.1." at the very end: the last dot also ends the sentence.
    if dot and not m.string[m.end() :].strip():
        return words + "."
    return words


def _numeric_date(m: re.Match[str]) -> str:
    if m["ym2"]:
        return f"{m['y']}년 {int(m['ym2'])}월"
    if m["ym"]:
        return _keep_final_dot(m["ymdot"], m, f"{m['y']}년 {int(m['ym'])}월")
    return _keep_final_dot(m["dot"], m, f"{m['y']}년 {int(m['m'])}월 {int(m['d'])}일")


# "B1층" is the first basement floor.
_BASEMENT = re.compile(r"B(?<![A-Za-z]B)(?<!지하 B)(?<!지하B)(?=[0-9]{1,2}층)")


def _has_weekday_in_parens(text: str) -> bool:
    return "(" in text and any(f"({day})" in text for day in _WEEKDAYS)


def _rewrite_dates(text: str) -> str:
    """Bring numeric dates into the 년/월/일 form the number pass reads."""
    text = _NUMERIC_DATE.sub(_numeric_date, text)
    if "B" in text:
        text = _BASEMENT.sub("지하 ", text)
    if not _has_weekday_in_parens(text):
        return text
    return _MONTH_DAY_WEEKDAY.sub(lambda m: f"{int(m['m'])}월 {int(m['d'])}일", text)


_WEEKDAY_PAREN = re.compile(rf"\(\s*([{_WEEKDAYS}](?:\s*[~·ㆍ,/\-]\s*[{_WEEKDAYS}])+)\s*\)")
_WEEKDAY_RANGE = re.compile(rf"([{_WEEKDAYS}])(?<![가-힣][{_WEEKDAYS}])\s?~\s?([{_WEEKDAYS}])(?![가-힣])")
_WEEKDAY_AFTER_DATE = re.compile(rf"([0-9일])\s?\(([{_WEEKDAYS}])\)")


def _weekday_list(m: re.Match[str]) -> str:
    days = re.findall(f"[{_WEEKDAYS}]", m[1])
    if len(days) == 2 and re.search(r"[~\-]", m[1]):
        return f" {days[0]}요일부터 {days[1]}요일까지 "
    return " " + ", ".join(f"{d}요일" for d in days) + " "


def _rewrite_weekday_ranges(text: str) -> str:
    text = _WEEKDAY_PAREN.sub(_weekday_list, text)
    return _WEEKDAY_RANGE.sub(r"\1요일부터 \2요일까지", text) if "~" in text else text


# ---------------------------------------------------------------------------------------------
# Ranges, rewritten in written form ("7~9시" → "7시부터 9시까지") before numbers are read
# ---------------------------------------------------------------------------------------------

_R_CLOCK = r"[0-9]{1,2}:[0-9]{2}"
_R_HOUR = r"[0-9]{1,2}시(?!간)(?:\ ?[0-9]{1,2}분)?"
_R_KDATE = r"[0-9]{1,4}(?:년\ ?[0-9]{1,2})?월(?:\ ?[0-9]{1,2}일)?"
_R_MD = r"[0-9]{1,2}\.\ ?[0-9]{1,2}\.(?![0-9])"
_R_QTY = rf"(?:{_NUM})(?:{_MAG})?(?:{_UNIT})?"
_R_SIDE = rf"(?:{_R_CLOCK}|{_R_HOUR}|{_R_KDATE}|{_R_MD}|{_R_QTY})"
_R_WD = rf"(?:\ ?\([{_WEEKDAYS}]\))?"
_R_DAYTIME = r"(?:(?:오전|오후|새벽|아침|낮|저녁|밤|다음\ ?날|익일)\ ?){0,2}"
# "(5~10월)에는" → "(5월부터 10월까지)는": the 에 after a point range folds into 까지.
_R_TAIL = r"(?P<tail>\)?에(?:는|도|만)?(?![가-힣]))?"
# A range starts at the first digit of a number with a "~" not far ahead: the guard rejects every
# other position cheaply, so the long side patterns are seldom tried.
_R_START = r"(?=[0-9](?<![0-9.,:][0-9]))(?=[^~]{0,40}~)"
_RANGE = re.compile(
    rf"{_R_START}(?P<a>{_R_SIDE})(?P<awd>{_R_WD})\s*~\s*(?P<bpre>{_R_DAYTIME})(?P<b>{_R_SIDE})(?P<bwd>{_R_WD})"
    rf"{_R_TAIL}",
    re.VERBOSE,
)
_DASH_RANGE = re.compile(
    rf"(?P<a>[1-9](?<![0-9.,:\-][1-9])[0-9]?)(?P<awd>)-(?P<bpre>)(?P<b>[1-9][0-9]?(?:{_UNIT}))(?P<bwd>)(?![0-9\-])"
    rf"{_R_TAIL}",
    re.VERBOSE,
)
_OPEN_END = re.compile(rf"{_R_START}(?P<a>{_R_SIDE})(?P<awd>{_R_WD})\ ?~(?!\s*[0-9~])", re.VERBOSE)
_OPEN_START = re.compile(rf"~(?<![0-9가-힣A-Za-z~]~)\ ?(?P<b>{_R_SIDE})(?P<bwd>{_R_WD})", re.VERBOSE)
_TIME_DASH = re.compile(
    r"([0-9](?<![0-9\-][0-9])[0-9]?(?::[0-9]{2}|시)?)\s?-\s?(?=[0-9]{1,2}(?::[0-9]{2}|시(?!간)))"
)
_POINT_IN_TIME = re.compile(rf"{_R_CLOCK}|{_R_HOUR}|{_R_KDATE}", re.VERBOSE)
_QTY_PARTS = re.compile(rf"(?P<num>{_NUM})(?P<mag>{_MAG})?(?P<unit>{_UNIT})?")
_PARTICLE = re.compile(
    r"(?:은|는|이|가|에|의|도|만|와|과|를|을|로|으로|인)(?![가-힣])"
    r"|(?:에는|에도|에만|까지|이며|이고|이나|이다|입니다|이에요|이라)"
)


def _md_to_korean(side: str) -> str:
    m = re.fullmatch(r"([0-9]{1,2})\.\ ?([0-9]{1,2})\.", side)
    return f"{int(m[1])}월 {int(m[2])}일" if m else side


def _borrow_unit(a: str, b: str) -> str:
    """Give the first number of a range the counter written only after the second one."""
    if not re.fullmatch(_NUM, a):
        return a
    if re.fullmatch(_R_HOUR, b):
        return a + "시"
    if re.fullmatch(r"[0-9]+월", b):
        return a + "월"
    parts = _QTY_PARTS.fullmatch(b)
    if not parts:
        return a
    magnitude, unit = parts["mag"] or "", (parts["unit"] or "").strip()
    if magnitude and unit == "원":
        return a + magnitude  # "삼만에서 오만 원", not "삼만 원에서 오만 원"
    return a + magnitude + unit


def _is_point_in_time(a: str, b: str, before: str, has_weekday: bool) -> bool:
    if has_weekday or _POINT_IN_TIME.fullmatch(a) or _POINT_IN_TIME.fullmatch(b):
        return True
    if b.endswith("일") and re.search(r"[0-9]월\s?\(?\s?$", before):
        return True  # "3월 1~5일": days of a month, not a number of days
    return b.endswith("년") and re.fullmatch(r"[0-9]{4}년", a) is not None


def _range(m: re.Match[str]) -> str:
    b = _md_to_korean(m["b"])
    a = _borrow_unit(_md_to_korean(m["a"]), b)
    if m.re is _DASH_RANGE and (int(m["a"]) >= int(re.match("[0-9]+", b)[0]) or b.endswith("번지")):
        return m[0]  # "12-3" or "1-2번지" are lot numbers, not ranges
    left, right, tail = a + m["awd"], m["bpre"] + b + m["bwd"], m["tail"] or ""
    after = m.string[m.end() :]
    before = m.string[max(0, m.start() - 8) : m.start()]
    if not _is_point_in_time(a, b, before, bool(m["awd"] or m["bwd"])):
        return f"{left}에서 {right}{tail}"
    if tail:
        close = ")" if tail.startswith(")") else ""
        return f"{left}부터 {right}까지{close}{tail.lstrip(')')[1:]}"
    if after.startswith("까지"):
        return f"{left}부터 {right}"
    if re.match(r"\s?사이", after) or (re.match("[가-힣]", after) and not _PARTICLE.match(after)):
        return f"{left}에서 {right}"
    return f"{left}부터 {right}까지"


def _open_start(m: re.Match[str]) -> str:
    until = "" if m.string[m.end() :].startswith("까지") else "까지"
    return f"{_md_to_korean(m['b'])}{m['bwd']}{until}"


def _open_end(m: re.Match[str]) -> str:
    return f"{_md_to_korean(m['a'])}{m['awd']}부터 "


def _rewrite_ranges(text: str) -> str:
    if "-" in text:
        text = _TIME_DASH.sub(r"\1~", text)
        text = _DASH_RANGE.sub(_range, text)
    if "~" in text:
        text = _RANGE.sub(_range, text)
    if "~" in text:
        text = _OPEN_START.sub(_open_start, text)
        text = _OPEN_END.sub(_open_end, text)
    return text


# ---------------------------------------------------------------------------------------------
# Layout, links and symbols
# ---------------------------------------------------------------------------------------------

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_CHAR_MAP = str.maketrans(
    {
        **_FULLWIDTH,
        "〜": "~",
        "∼": "~",
        "˜": "~",
        "−": "-",
        "‐": "-",
        "‑": "-",
        "–": "-",
        "\u00a0": " ",
        "\u3000": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
        "\u200b": None,
        "\u200c": None,
        "\u2060": None,
        "\ufeff": None,
        "\u2028": "\n",
        "\u2029": "\n",
        "\r": "\n",
    }
)
_MAPPED_CHAR = re.compile("[" + re.escape("".join(chr(c) for c in _CHAR_MAP)) + "]")
# Look-behinds sit after the first character ("x(?<!…x)") so a match can only start at the start of
# a word: the engine skips Hangul quickly and never retries inside a long Latin run.
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+-](?<![A-Za-z0-9._%+-][A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
_URL_BODY = (
    r"(?:https?://|www\.)[^\s<>()\[\]{}'\"가-힣]+"
    r"|[A-Za-z0-9](?<![A-Za-z0-9.@-][A-Za-z0-9])[A-Za-z0-9-]*\.(?:[A-Za-z0-9][A-Za-z0-9-]*\.)*"
    r"(?:go\.kr|or\.kr|co\.kr|ac\.kr|re\.kr|ne\.kr|kr|com|net|org|gov|info)"
    r"(?![A-Za-z-])(?:/[^\s<>()\[\]{}'\"가-힣]*)?"
)
_URL = re.compile(_URL_BODY)
_LINK_HINT = re.compile(r"[A-Za-z0-9]\.[A-Za-z]|://")
_URL_IN_PARENS = re.compile(rf"\(\s*(?:{_URL_BODY})\s*\)")
# Circled numbers (①…⑳, ❶…❿) are list markers; the rest of these ranges are emoji and pictographs.
_PICTOGRAPH = re.compile(
    "[\u2460-\u2473\u2776-\u277f\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0e\ufe0f\u200d\u20e3]"
)
_LINE_BULLET = re.compile(r"^(?:[*•·▪▫◦‣○●◎□■◇◆▶▷►※☞✓✔➢>#]+|-+(?![0-9]))\s*")
_LINE_NUMBER = re.compile(r"^\(?([0-9]{1,2})\s?[.)](?![0-9])\s*")
_HISTORIC = {
    ("3", "1"): "삼일",
    ("4", "19"): "사일구",
    ("5", "16"): "오일육",
    ("5", "18"): "오일팔",
    ("6", "10"): "육십",
    ("6", "25"): "육이오",
    ("8", "15"): "팔일오",
    ("12", "12"): "십이십이",
}
_HISTORIC_TRIGGERS = ("·", "ㆍ", "절", "혁명", "민주", "전쟁", "운동", "항쟁", "광복", "기념", "의거")
_HISTORIC_DATE = re.compile(
    r"([0-9](?<![0-9.][0-9])[0-9]?)\s?[·ㆍ.]\s?([0-9]{1,2})(?![0-9])"
    r"(?=[가-힣]|\s(?:혁명|민주|전쟁|운동|항쟁|광복|기념|의거|정신|사태|선언))"
)


_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PHONE_SIGN = re.compile(r"[☎☏📞]\s*:?\s*")
_PHONE_WORD = re.compile(r"(?:TEL|Tel|tel|Phone|phone)\b\.?\s*[:)]?\s*(?=[0-9(])")
_FAX_WORD = re.compile(r"(?:FAX|Fax|fax)\b\.?\s*:?\s*(?=[0-9(])")


def _normalise(text: str) -> str:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _MAPPED_CHAR.search(text):
        text = text.translate(_CHAR_MAP)
    # Each rewrite below is rare; a substring test is far cheaper than a regex scan.
    if "°" in text:
        text = text.replace("°C", "℃").replace("°c", "℃")
    if "<" in text:
        text = _LINE_BREAK_TAG.sub("\n", text)
    if "☎" in text or "☏" in text or "📞" in text:
        text = _PHONE_SIGN.sub("전화 ", text)
    lowered = text.lower()
    if "tel" in lowered or "phone" in lowered:
        text = _PHONE_WORD.sub("전화 ", text)
    if "fax" in lowered:
        text = _FAX_WORD.sub("팩스 ", text)
    return text


def _replace_links(text: str) -> str:
    if "@" in text:
        text = _EMAIL.sub("전자우편", text)
    if not _LINK_HINT.search(text):
        return text
    if "(" in text:
        text = _URL_IN_PARENS.sub("", text)
    return _URL.sub(_url_word, text)


def _url_word(m: re.Match[str]) -> str:
    # Trailing sentence punctuation belongs to the sentence, not to the address.
    url = m[0]
    trail = url[len(url.rstrip(".,;:!?")) :]
    return "누리집" + trail


def _clean_line(line: str) -> str:
    line = line.strip()
    for _ in range(3):  # "- ※ 참고" has stacked bullets
        stripped = _LINE_BULLET.sub("", line)
        if stripped == line:
            break
        line = stripped
    return _LINE_NUMBER.sub(lambda m: _ordinal(int(m[1])) + ", ", line)


def _join_lines(text: str) -> str:
    """Turn line breaks into sentence pauses, dropping bullets and naming numbered items."""
    lines = [line for line in (_clean_line(raw) for raw in text.split("\n")) if line]
    out = []
    for index, line in enumerate(lines):
        if index < len(lines) - 1 and not line.endswith((".", "!", "?", "。", ",")):
            line = line.rstrip(":; ") + "."
        out.append(line)
    return " ".join(out)


def _pictograph(m: re.Match[str]) -> str:
    code = ord(m[0])
    if 0x2460 <= code <= 0x2473:
        return f" {_ordinal(code - 0x2460 + 1)}, "
    if 0x2776 <= code <= 0x277F:
        return f" {_ordinal(code - 0x2776 + 1)}, "
    return ""


# Particles that change with the final consonant of the word before them: (after a consonant, after a vowel).
_PARTICLE_FORMS = {
    **dict.fromkeys(("을", "를"), ("을", "를")),
    **dict.fromkeys(("이", "가"), ("이", "가")),
    **dict.fromkeys(("은", "는"), ("은", "는")),
    **dict.fromkeys(("과", "와"), ("과", "와")),
    **dict.fromkeys(("으로", "로"), ("으로", "로")),
    **dict.fromkeys(("이나", "나"), ("이나", "나")),
    **dict.fromkeys(("이며", "며"), ("이며", "며")),
    **dict.fromkeys(("이고", "고"), ("이고", "고")),
    **dict.fromkeys(("이랑", "랑"), ("이랑", "랑")),
}
_AGREEING_PARTICLE = r"(?P<p>으로|이나|이며|이고|이랑|로|(?:을|를|이|가|은|는|과|와|나|며|고|랑)(?![가-힣]))"
_PAREN_THEN_PARTICLE = re.compile(rf"\(([^()]*)\){_AGREEING_PARTICLE}")
_REPLACED_WORD_THEN_PARTICLE = re.compile(rf"(누리집|전자우편){_AGREEING_PARTICLE}")


def _agree(word: str, particle: str) -> str:
    """Pick the particle form that fits the last syllable of ``word`` (스티커를, 건물과, 누리집으로)."""
    forms = _PARTICLE_FORMS.get(particle)
    code = ord(word[-1]) - 0xAC00 if word else -1
    if forms is None or not 0 <= code < 11172:
        return particle  # not a Hangul syllable: keep what the author wrote
    final = code % 28
    if forms[0] == "으로":
        return "로" if final in (0, 8) else "으로"  # ㄹ takes 로 (서울로)
    return forms[0] if final else forms[1]


def _fix_particles(text: str) -> str:
    # Parentheses are dropped, so the particle now follows their content, not the word before them;
    # a URL replaced by 누리집 has the same problem.
    text = _PAREN_THEN_PARTICLE.sub(lambda m: f"({m[1]}){_agree(m[1].rstrip(), m['p'])}", text)
    return _REPLACED_WORD_THEN_PARTICLE.sub(lambda m: m[1] + _agree(m[1], m["p"]), text)


_HANGUL_DASH = re.compile(r"-(?<=[가-힣]-)(?=[가-힣])")
# (characters or strings of which one must be present, pattern, replacement). Spaces the
# replacements leave next to punctuation are removed by _tidy; patterns start with the symbol
# itself so scans are quick.
_SYMBOL_RULES = (
    ("→⇒>▶▷►➔", re.compile(r"→|⇒|->|=>|▶|▷|►|➔"), ", "),
    # Characters that carry no sound go first, so the rules below see what they leave behind.
    ("\"'“”‘’`´", re.compile(r"[\"'“”‘’`´]"), ""),
    ("~※☞★☆■□▪▫◆◇○●◎#*_|^=", re.compile(r"[~※☞★☆■□▪▫◆◇○●◎#*_|^=]"), " "),
    ("([{「『《〈【", re.compile(r"[(\[{「『《〈【]"), " "),
    (")]}」』》〉】", re.compile(r" +(?=[)\]}」』》〉】])"), ""),
    (")]}」』》〉】", re.compile(r"[)\]}」』》〉】](?=[가-힣A-Za-z])"), ""),
    (")]}」』》〉】", re.compile(r"[)\]}」』》〉】]"), " "),
    (">", re.compile(r" +> +"), ", "),
    ("<>", re.compile(r"[<>]"), " "),
    ("·ㆍ•‧∙", re.compile(r"[·ㆍ•‧∙] *"), ", "),
    ("/", re.compile(r"/ *"), ", "),
    ("&", re.compile(r"& *"), " 및 "),
    (("…", ".."), re.compile(r"…|\.{2,}"), ", "),
    (":;", re.compile(r"[:;] *"), ", "),
    ("-", _HANGUL_DASH, " "),
    # A dash standing alone, between spaces or punctuation, is a pause.
    ("-—", re.compile(r"[-—](?<![^\s,.!?][-—])[-—]*(?![^\s,.!?])|—+"), ", "),
)
_SPACES = re.compile(r"\s{2,}|[^\S ]")
_REPEATED_LINK_WORD = re.compile(r"누리집(?:[\s,]+누리집)+")
_PUNCTUATION_RUN = re.compile(r"[,.!?](?:\s*[,.!?])+")
_MINUS = re.compile(r"-(?<![^\s(]-)(?=[0-9])")


def _symbols(text: str) -> str:
    if "(" in text:
        text = _fix_particles(text)
    for needed, pattern, replacement in _SYMBOL_RULES:
        if any(c in text for c in needed):
            text = pattern.sub(replacement, text)
    return text


def _strongest_mark(m: re.Match[str]) -> str:
    # ", ." or ". ," left where symbols met: keep the longest pause of the run.
    return next(mark for mark in "?!.," if mark in m[0])


def _tidy(text: str) -> str:
    text = _SPACES.sub(" ", text)
    for mark in ",.!?":
        text = text.replace(" " + mark, mark)
    text = _PUNCTUATION_RUN.sub(_strongest_mark, text).strip(" ,").lstrip(".!?,- ")
    # Dropped symbols can leave a bare domain behind ("x※.kr"), so links are looked for once more.
    text = _replace_links(text)
    if "누리집" in text or "전자우편" in text:
        text = _HANGUL_DASH.sub(" ", _REPEATED_LINK_WORD.sub("누리집", text))
        text = _REPLACED_WORD_THEN_PARTICLE.sub(lambda m: m[1] + _agree(m[1], m["p"]), text)
    return text


# ---------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------


def to_speech(text: str) -> str:
    """Rewrite Korean answer text the way a public-office agent would read it aloud.

    See the module docstring for the rules. Never raises on any string; returns "" for "".
    """
    if not text:
        return ""
    text = _normalise(text)
    text = _replace_links(text)
    if _PICTOGRAPH.search(text):
        text = _PICTOGRAPH.sub(_pictograph, text)
    text = _join_lines(text)
    if any(trigger in text for trigger in _HISTORIC_TRIGGERS):
        text = _HISTORIC_DATE.sub(lambda m: _HISTORIC.get((m[1], m[2]), m[0]), text)
    text = _rewrite_dates(text)
    text = _rewrite_weekday_ranges(text)
    text = _rewrite_ranges(text)
    if _has_weekday_in_parens(text):
        text = _WEEKDAY_AFTER_DATE.sub(lambda m: f"{m[1]} {m[2]}요일", text)
    if "-" in text:
        text = _MINUS.sub("마이너스 ", text)
    text = _NUMBER.sub(_number, text)
    text = _symbols(text)
    return _tidy(text)
