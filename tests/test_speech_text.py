"""Spoken form of answers for the voice gateway: numbers, times, dates, phone numbers, symbols."""

from __future__ import annotations

import csv
import random
import re
import time
from pathlib import Path

import pytest

from voice_gateway.speech_text import native_number, read_digits, sino_number, to_speech

SAMPLE_DB = Path(__file__).resolve().parent.parent / "knowledge" / "sample_data" / "counseling_db.csv"
ASCII_DIGIT = re.compile(r"[0-9]")


def _cases(table: dict[str, str]) -> list[object]:
    return [pytest.param(written, spoken, id=written) for written, spoken in table.items()]


# --- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "spoken"),
    [
        (0, "영"),
        (1, "일"),
        (10, "십"),
        (11, "십일"),
        (20, "이십"),
        (100, "백"),
        (101, "백일"),
        (1000, "천"),
        (1100, "천백"),
        (10_000, "만"),
        (12_000, "만 이천"),
        (100_000, "십만"),
        (1_500_000, "백오십만"),
        (100_000_000, "일억"),
        (100_010_000, "일억 만"),
        (123_456_789, "일억 이천삼백사십오만 육천칠백팔십구"),
        (-5, "마이너스 오"),
    ],
)
def test_sino_number(n: int, spoken: str) -> None:
    assert sino_number(n) == spoken


@pytest.mark.parametrize(
    ("n", "spoken"),
    [
        (1, "한"),
        (2, "두"),
        (3, "세"),
        (4, "네"),
        (5, "다섯"),
        (10, "열"),
        (11, "열한"),
        (20, "스무"),
        (21, "스물한"),
        (24, "스물네"),
        (99, "아흔아홉"),
        (100, "백"),  # native numbers stop at 99
        (0, "영"),
    ],
)
def test_native_number_before_a_counter(n: int, spoken: str) -> None:
    assert native_number(n) == spoken


def test_native_number_counting_form() -> None:
    assert [native_number(n, attributive=False) for n in (1, 2, 3, 4, 20, 21)] == [
        "하나",
        "둘",
        "셋",
        "넷",
        "스물",
        "스물하나",
    ]


def test_read_digits() -> None:
    assert read_digits("0613") == "공육일삼"
    assert read_digits("0613", zero="영") == "영육일삼"
    assert read_digits("02-120") == "공이일이공"  # separators are skipped


# --- rules -----------------------------------------------------------------------------------

TIMES = {
    "05시15분": "다섯 시 십오 분",
    "05:15": "다섯 시 십오 분",
    "5시 15분": "다섯 시 십오 분",
    "오전 9시": "오전 아홉 시",
    "18:00": "열여덟 시",
    "24:00": "스물네 시",
    "0시": "영 시",
    "12:30": "열두 시 삼십 분",
    "9시 00분": "아홉 시",
    "9시 30분": "아홉 시 삼십 분",
    "9시 반": "아홉 시 반",
    "12:05:30": "열두 시 오 분 삼십 초",
    "오후 11시 30분 전후": "오후 열한 시 삼십 분 전후",
    "09:00~18:00": "아홉 시부터 열여덟 시까지",
    "09:00-18:00": "아홉 시부터 열여덟 시까지",
    "오전 7~9시": "오전 일곱 시부터 아홉 시까지",
    "오후 2시~4시": "오후 두 시부터 네 시까지",
    "오후 9시~다음 날 오전 7시": "오후 아홉 시부터 다음 날 오전 일곱 시까지",
    "밤 12시부터 새벽 4시 사이": "밤 열두 시부터 새벽 네 시 사이",
    "점심시간(12시~13시)에는 진료하지 않습니다.": "점심시간 열두 시부터 열세 시까지는 진료하지 않습니다.",
}

PHONES = {
    "061-749-3114": "공육일, 칠사구, 삼일일사",
    "02-120": "공이, 일이공",
    "1588-1234": "일오팔팔, 일이삼사",
    "010-1234-5678": "공일공, 일이삼사, 오육칠팔",
    "02-0000-5110": "공이, 공공공공, 오일일공",
    "☎ 02-2133-7114": "전화 공이, 이일삼삼, 칠일일사",
    "Tel. 02-123-4567": "전화 공이, 일이삼, 사오육칠",
    "위기상담전화(1577-0199)로 연락하세요.": "위기상담전화 일오칠칠, 공일구구로 연락하세요.",
    "120 다산콜센터": "백이십 다산콜센터",
    "국번 없이 110번": "국번 없이 일일공 번",
    "119에 신고하세요.": "일일구에 신고하세요.",
    "112에도 알려 주세요.": "일일이에도 알려 주세요.",
    "질병관리청 콜센터(1339)나 보건소": "질병관리청 콜센터 일삼삼구나 보건소",
    "내선 2101": "내선 이일공일",
    "우편번호 04524": "우편번호 공사오이사",
}

MONEY = {
    "12,000원": "만 이천 원",
    "1,500,000원": "백오십만 원",
    "3만원": "삼만 원",
    "100원": "백 원",
    "1,000원": "천 원",
    "10,000 원": "만 원",
    "3만 5천원": "삼만 오천 원",
    "1억 2천만 원": "일억 이천만 원",
    "100,010,000원": "일억 만 원",
    "1.5억": "일억 오천만",
    "2,500~4,000원에": "이천오백 원에서 사천 원에",
    "위로금(20만~60만 원)": "위로금 이십만에서 육십만 원",
    "3~5만원": "삼만에서 오만 원",
}

DATES = {
    "2026-03-01": "이천이십육 년 삼 월 일 일",
    "2026.3.1. 시행": "이천이십육 년 삼 월 일 일 시행",
    "시행일은 2026.3.1.": "시행일은 이천이십육 년 삼 월 일 일.",
    "2026. 3. 1.(일) 시행": "이천이십육 년 삼 월 일 일 일요일 시행",
    "3월 1일": "삼 월 일 일",
    "2026년 3월 1일(일)": "이천이십육 년 삼 월 일 일 일요일",
    "6월 10일": "유월 십 일",
    "10월 3일(금)": "시월 삼 일 금요일",
    "3/15(금)": "삼 월 십오 일 금요일",
    "2026.03 기준": "이천이십육 년 삼 월 기준",
    "3월 1일~31일": "삼 월 일 일부터 삼십일 일까지",
    "2026.3.1.~3.31.": "이천이십육 년 삼 월 일 일부터 삼 월 삼십일 일까지",
    "9월 1일~10월 31일": "구 월 일 일부터 시월 삼십일 일까지",
    "7월(16일~31일)에는": "칠 월 십육 일부터 삼십일 일까지는",
    "여름철(5~10월)에는": "여름철 오 월부터 시월까지는",
    "2020~2025년": "이천이십 년부터 이천이십오 년까지",
    "평일(월~금)": "평일 월요일부터 금요일까지",
    "(토·일) 휴무": "토요일, 일요일 휴무",
    "3·1절": "삼일절",
    "8.15 광복절": "팔일오 광복절",
}

COUNTERS = {
    "3개": "세 개",
    "2장": "두 장",
    "4명": "네 명",
    "20명": "스무 명",
    "11개": "열한 개",
    "100명": "백 명",
    "24시간": "스물네 시간",
    "1시간 30분": "한 시간 삼십 분",
    "3살": "세 살",
    "1번째": "첫 번째",
    "2번째": "두 번째",
    "20번째": "스무 번째",
    "2째 주": "둘째 주",
    "5권까지": "다섯 권까지",
    "정류장 번호 5자리": "정류장 번호 다섯 자리",
    "6개월": "육 개월",
    "3번 출구": "삼 번 출구",
    "1번을 누르세요": "일 번을 누르세요",
    "최대 3번까지": "최대 세 번까지",
    "1년에 2번": "일 년에 두 번",
    "2호선": "이 호선",
    "5층": "오 층",
    "B1층": "지하 일 층",
    "65세 이상": "육십오 세 이상",
    "제2장": "제이 장",
    "2주 전": "이 주 전",
    "최대 4회까지": "최대 사 회까지",
}

UNITS = {
    "30%": "삼십 퍼센트",
    "20%가": "이십 퍼센트가",
    "0.5%": "영 점 오 퍼센트",
    "1.5": "일 점 오",
    "0.05": "영 점 영오",
    "2.5km": "이 점 오 킬로미터",
    "85㎡": "팔십오 제곱미터",
    "10kg": "십 킬로그램",
    "영하 5℃": "영하 오 도",
    "-3%": "마이너스 삼 퍼센트",
    "3:1": "삼 대 일",
    "1/2 감면": "이 분의 일 감면",
}

RANGES_AND_QUANTITIES = {
    "8~12분 간격": "팔 분에서 십이 분 간격",
    "2-3일 소요": "이 일에서 삼 일 소요",
    "1~2개월": "일 개월에서 이 개월",
    "만 13~18세": "만 십삼 세에서 십팔 세",
    "16일~ 접수": "십육 일부터 접수",
    "~3월 31일": "삼 월 삼십일 일까지",
    "123-4번지": "백이십삼 다시 사 번지",
}

PLAIN_NUMBERS = {
    "2026": "이천이십육",
    "0": "영",
    "12345": "만 이천삼백사십오",
    "1234567": "일이삼사오육칠",  # long digit runs are codes
    "정부24": "정부이십사",
}

SYMBOLS = {
    "※ 신분증을 지참하세요.": "신분증을 지참하세요.",
    "• 신청서\n• 신분증": "신청서. 신분증",
    "- 신청서\n- 신분증\n- 사진 1매": "신청서. 신분증. 사진 일 매",
    "1. 신청서 작성\n2. 제출": "첫째, 신청서 작성. 둘째, 제출",
    "① 신청서 ② 신분증": "첫째, 신청서 둘째, 신분증",
    "접수 시간\n평일 9시~18시": "접수 시간. 평일 아홉 시부터 열여덟 시까지",
    "예시시 누리집(www.yesi.go.kr)에서 신청": "예시시 누리집에서 신청",
    "www.yesi.go.kr에서 신청하세요.": "누리집에서 신청하세요.",
    "https://www.gov.kr/portal?x=1 참고": "누리집 참고",
    "위택스(www.wetax.go.kr)나 세무과": "위택스나 세무과",
    "문의: minwon@yesi.go.kr": "문의, 전자우편",
    "첫차·막차 시간": "첫차, 막차 시간",
    "누리집 '시민소통 > 시민제안'에 남겨": "누리집 시민소통, 시민제안에 남겨",
    "민원실(1층)에서": "민원실 일 층에서",
    "납부필증(스티커)을 붙여": "납부필증 스티커를 붙여",
    "봄꽃축제(4월)와": "봄꽃축제 사 월과",
    "주말/공휴일 휴무": "주말, 공휴일 휴무",
    "안녕하세요~ 😀": "안녕하세요",
}

ALL_RULE_CASES = {
    **TIMES,
    **PHONES,
    **MONEY,
    **DATES,
    **COUNTERS,
    **UNITS,
    **RANGES_AND_QUANTITIES,
    **PLAIN_NUMBERS,
    **SYMBOLS,
}


@pytest.mark.parametrize(("written", "spoken"), _cases(TIMES))
def test_times(written: str, spoken: str) -> None:
    assert to_speech(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), _cases(PHONES))
def test_phone_and_service_numbers(written: str, spoken: str) -> None:
    assert to_speech(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), _cases(MONEY))
def test_money(written: str, spoken: str) -> None:
    assert to_speech(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), _cases(DATES))
def test_dates_and_weekdays(written: str, spoken: str) -> None:
    assert to_speech(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), _cases(COUNTERS))
def test_counters_native_or_sino(written: str, spoken: str) -> None:
    assert to_speech(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), _cases(UNITS))
def test_percent_decimals_units(written: str, spoken: str) -> None:
    assert to_speech(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), _cases(RANGES_AND_QUANTITIES))
def test_ranges_of_quantities(written: str, spoken: str) -> None:
    assert to_speech(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), _cases(PLAIN_NUMBERS))
def test_plain_numbers(written: str, spoken: str) -> None:
    assert to_speech(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), _cases(SYMBOLS))
def test_symbols_links_and_layout(written: str, spoken: str) -> None:
    assert to_speech(written) == spoken


def test_whole_answer() -> None:
    answer = (
        "평일(월~금) 09:00~18:00에 운영합니다.\n"
        "※ 문의: 민원여권과 ☎ 061-749-3114\n"
        "- 수수료: 12,000원 (2026.3.1.부터 30% 할인)\n"
        "- 누리집: www.yesi.go.kr"
    )
    assert to_speech(answer) == (
        "평일 월요일부터 금요일까지 아홉 시부터 열여덟 시까지 운영합니다. "
        "문의, 민원여권과 전화 공육일, 칠사구, 삼일일사. "
        "수수료, 만 이천 원 이천이십육 년 삼 월 일 일부터 삼십 퍼센트 할인. "
        "누리집"
    )


# --- robustness ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "😀👍", "\u200b"])
def test_empty_and_emoji_only_give_empty_string(text: str) -> None:
    assert to_speech(text) == ""


@pytest.mark.parametrize(
    "text",
    [
        "여권 재발급은 구청 민원실에서 신청하실 수 있습니다.",
        "신분증을 가지고 가까운 주민센터를 방문해 주세요.",
        "KTX and SRT tickets are sold online.",
        "Hello, World!",
    ],
)
def test_prose_without_digits_or_symbols_is_unchanged(text: str) -> None:
    assert to_speech(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "평일 (월~금) 운영",
        "※ 문의: 대중교통과",
        "첫차·막차",
        "'예시버스' 앱 > 공지사항",
        "• 신청서\n• 신분증\n",
        "누리집(www.yesi.go.kr)을 보세요",
        "토·일요일 휴무!! 😀",
        "A - B — C … D",
        "((( ]]] ~~~ --- ///",
    ],
)
def test_idempotent_on_text_without_digits(text: str) -> None:
    once = to_speech(text)
    assert to_speech(once) == once


@pytest.mark.parametrize("written", list(ALL_RULE_CASES))
def test_output_has_no_digits_and_is_stable(written: str) -> None:
    spoken = to_speech(written)
    assert not ASCII_DIGIT.search(spoken)
    assert to_speech(spoken) == spoken


def test_latin_text_around_numbers_is_kept() -> None:
    assert to_speech("KTX 2시간, RFID 카드") == "KTX 두 시간, RFID 카드"


def test_long_and_odd_inputs_do_not_crash() -> None:
    long_answer = ("가나다 12,000원 09:00~18:00 061-749-3114 www.a.kr 😀 ABC\n" * 200)[:10_000]
    odd = [
        long_answer,
        "1" * 10_000,
        "9" * 30 + "원",
        "1," * 5_000,
        "1~" * 5_000,
        "a." * 5_000,
        "(" * 5_000 + ")" * 5_000,
        "１２３",  # full-width digits
        "99:99 1.2.3.4 0000-0000 2026-13-45 ~1 1~ - : /",
    ]
    for text in odd:
        spoken = to_speech(text)
        assert isinstance(spoken, str)
        assert not ASCII_DIGIT.search(spoken)


def test_random_inputs_do_not_crash_and_leave_no_digits() -> None:
    pieces = [*"0123456789~-:./,()%년월일시분원개명번 가나다ABC😀※•·>\n①㎡", "www.", ".kr", "02-", "(월)"]
    rng = random.Random(20260301)
    for _ in range(2_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        spoken = to_speech(text)
        assert not ASCII_DIGIT.search(spoken), text
        assert to_speech(spoken) == spoken, text


@pytest.mark.skipif(not SAMPLE_DB.exists(), reason="sample counselling database not present")
def test_every_sample_answer_is_speakable() -> None:
    with SAMPLE_DB.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        for column in ("answer", "spoken_answer"):
            spoken = to_speech(row[column])
            assert not re.search(r"[0-9~()]", spoken), (row["id"], spoken)
            assert to_speech(spoken) == spoken, row["id"]


def test_fast_enough_for_every_answer() -> None:
    answer = (
        "예시시 시내버스는 대부분의 노선이 오전 5시 30분 전후에 첫차를, 오후 11시 30분 전후에 막차를 "
        "출발시킵니다. 평일(월~금) 09:00~18:00, 문의 ☎ 061-749-3114. 요금은 12,000원이며 "
        "2026.3.1.(일)부터 30% 할인됩니다. 자세한 내용은 누리집(www.yesi.go.kr)을 참고하세요. "
    )
    answer = (answer * 4)[:500]
    to_speech(answer)  # warm-up
    start = time.perf_counter()
    for _ in range(1_000):
        to_speech(answer)
    assert time.perf_counter() - start < 2.0
