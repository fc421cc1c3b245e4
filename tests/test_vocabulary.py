"""Putting the counseling DB's names back into misrecognised speech: what Whisper made of
espeak's "아이스팩" on the CI machine ("아이스풷", "아 이수팩"), typed typos from the held-out
questions, and ordinary words one edit from a DB name that must stay as they are."""

from __future__ import annotations

import pytest

from minwon.knowledge.files import read_path
from minwon.knowledge.rows import parse_rows
from minwon.retrieval.vocabulary import VocabularyCorrector, db_words
from minwon.settings import SAMPLE_DB_CSV


@pytest.fixture(scope="module")
def corrector() -> VocabularyCorrector:
    rows, errors = parse_rows(read_path(SAMPLE_DB_CSV))
    assert not errors
    words = db_words(rows)
    assert "아이스팩" in words and "지방세" in words and "여권" not in words  # 3+ syllables only
    return VocabularyCorrector(words)


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("아이스풷", "아이스팩"),
        ("아이스풷은 어떻게 버려요", "아이스팩은 어떻게 버려요"),  # the particle stays
        ("아 이수팩 아 이수빵", "아이스팩 아 이수빵"),  # a name split after its first syllable
        ("지망세 납부", "지방세 납부"),
        ("재산새 언제내요", "재산세 언제내요"),
        ("주차위반 과태로 조회", "주차위반 과태료 조회"),
        ("긔초연금 받을수잇나", "기초연금 받을수잇나"),
    ],
)
def test_misspelt_names_are_put_back(corrector, heard, meant):
    text, fixes = corrector.correct(heard)
    assert text == meant
    assert fixes and all(f.distance <= 0.25 for f in fixes)


@pytest.mark.parametrize(
    "said",
    [
        "수도요금이 너무 많이 나왔는데요",  # right already
        "제가 신고한 민원 어떻게 처리됐는지 알고싶어요",  # 신고한 ≠ 신고기한
        "자율주행 자동차 언제 나오냐",  # 자동차 ≠ 자동차세
        "일반쓰레기 몇시에 내놔야돼요",  # ≠ 이사쓰레기
        "우리집 물 검사 받아볼수있어요?",  # ≠ 무료검사
        "전 애인 만났어",  # ≠ 장애인
        "수영 잘하고 싶어",  # ≠ 수영장
        "중학생 애 버스요금 얼마에요",  # the next word is a DB name already
        "신기한 일들이 많이 일어나",
    ],
)
def test_ordinary_words_stay(corrector, said):
    assert corrector.correct(said) == (said, [])


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😀" * 50, "아이스풷 😀", "가" * 10_000, "아이스풷 " * 100, "\x00\ufffd아이스", "ICE PACK"],
)
def test_odd_input_goes_through(corrector, text):
    """Empty, emoji, 10,000 syllables in one word, more words than a spoken question has,
    control and replacement characters, Latin: returned as they are, or only the names
    fixed; never an exception."""
    out, fixes = corrector.correct(text)
    if text == "아이스풷 😀":
        assert out == "아이스팩 😀"
    else:
        assert out == text and not fixes


def test_no_vocabulary_changes_nothing():
    assert VocabularyCorrector([]).correct("아이스풷") == ("아이스풷", [])
    # Names shorter than three syllables are never candidates.
    assert VocabularyCorrector(["여권", "아이스팩"]).words == ["아이스팩"]
