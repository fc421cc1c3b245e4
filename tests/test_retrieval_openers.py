"""Greeting, filler and opener spans cut before scoring (minwon/retrieval/openers.py).

Tried: openers alone (must leave nothing), openers before a question (only the question is
left), fillers that are also syllables inside words ("처음" keeps its 음, "아이" its 아)."""

from __future__ import annotations

import pytest

from minwon.retrieval.openers import strip_openers


@pytest.mark.parametrize("text", ["안녕하세요 혹시 상담 가능한가요?", "여보세요", "수고하십니다 문의 좀 드릴게요"])
def test_an_opener_alone_leaves_nothing(text):
    assert strip_openers(text) == ""


@pytest.mark.parametrize(("text", "left"), [
    ("안녕하세요 여권 재발급 준비물 알려주세요", "여권 재발급 준비물 알려주세요"),
    ("네 수고하십니다 주차 과태료 얼마예요", "주차 과태료 얼마예요"),
    ("음 그 뭐냐 등본 떼려고요", "등본 떼려고요"),
])
def test_openers_before_a_question_are_cut(text, left):
    assert strip_openers(text) == left


@pytest.mark.parametrize("text", ["여권 처음 만들려고 하는데 뭐 가져가요", "아이 예방접종 어디서 해요",
                                  "그늘막 설치 요청"])
def test_syllables_inside_words_are_kept(text):
    assert strip_openers(text) == text
