"""The abuse detector and the strike policy on their own (SQLite on disk, migrated)."""

from __future__ import annotations

import pytest

from minwon.abuse import incidents, policy
from minwon.abuse.detector import Verdict, get_detector
from minwon.db.session import make_engine, migrate


@pytest.fixture
def engine(tmp_path):
    e = make_engine(f"sqlite:///{tmp_path}/abuse.db")
    migrate(e)
    return e


def insult(p: float = 0.95) -> Verdict:
    return Verdict("insult", p, p, {"insult": p, "none": 1 - p})


def strike(engine, conv: str, who: str, verdict: Verdict) -> policy.Decision:
    return policy.strike(engine, conversation_id=conv, citizen_key=who, channel="rest", text="…", verdict=verdict,
                         transcript=[{"sender": "user", "text": "…"}])


# Regression checks (these false friends are in the training rows; the held-out figures are
# training/bench_abuse.py's).
FALSE_FRIENDS = ["시발점이 어디예요 버스 첫차 출발하는 곳", "길에서 새끼 고양이를 구조했는데 어디에 맡기나요",
                 "개인택시 면허 양도 절차 알려 주세요", "죽전동 주민센터 몇 시까지 해요"]


@pytest.mark.parametrize("text", [*FALSE_FRIENDS, "", "🙂🔥", "가" * 10_000])
def test_false_friends_and_odd_input_are_not_abuse(text):
    assert not get_detector().classify(text).is_abusive


def test_classes_come_out():
    d = get_detector()
    assert d.classify("너 내일 출근길 조심해라").label == "threat"
    assert d.classify("너 나랑 한번 자자").label == "sexual"
    assert d.classify("씨발 대답 똑바로 해").label == "insult"
    assert d.classify("죽을 것 같이 힘들어요 생계가 막막해요").label == "distress"


@pytest.mark.parametrize(("text", "label", "rule"), [
    ("니네 다 찾아가서 불질러버릴거야", "threat", "arson"),
    ("신상 털어 버린다", "threat", "doxxing"),
    ("아가씨몇살이야", "sexual", "personal"),
    ("여자가 뭘 안다고", "insult", "belittle"),
    ("시 발 대답 안 해?", "insult", "swear"),
    ("ㅅㅂ놈들 전화 좀 받아", "insult", "swear"),  # 초성: NFKC makes them conjoining jamo
])
def test_the_pattern_layer_names_the_rule_that_decided(text, label, rule):
    v = get_detector().classify(text)
    assert (v.label, v.rule) == (label, rule), f"{text!r} gave {v.as_dict()}"


# Each would fire a rule without the guards: a listener word inside another word (어머니, 너무),
# someone else's threat reported to us, a light that is 꺼져, a fire that 났어요.
@pytest.mark.parametrize("text", ["저희 어머니 몇 살부터 기초연금 받아요", "너무 화가 나요 과태료가 억울해요",
                                  "남편이 죽여 버린다고 협박해요 어디에 신고해요", "가로등이 한 달째 꺼져 있어요",
                                  "옆집에서 불이 났어요", "수박씨발라먹기 대회 신청"])
def test_guarded_phrases_are_not_abuse(text):
    v = get_detector().classify(text)
    assert not v.is_abusive, f"{text!r} gave {v.as_dict()}"


def test_warn_warn_end_and_the_incident_keeps_the_transcript(engine):
    got = [strike(engine, "c1", "k1", insult()) for _ in range(3)]
    assert [(d.action, d.level) for d in got] == [("warn", 1), ("warn", 2), ("end", 3)]
    assert policy.is_ended(engine, "c1") and got[2].incident_id
    ev = incidents.evidence(engine, got[2].incident_id)
    assert ev and [s["level"] for s in ev["strikes"]] == [1, 2, 3] and ev["transcript"]


def test_sexual_harassment_ends_at_once(engine):
    d = strike(engine, "c2", "k2", Verdict("sexual", 0.99, 0.99, {}))
    assert (d.action, d.level) == ("end", 3)


def test_a_citizen_ended_before_has_no_warning_left_in_a_new_conversation(engine):
    for _ in range(3):
        strike(engine, "c3", "k3", insult())
    d = strike(engine, "c3-next", "k3", insult())
    assert d.action == "end" and d.repeat


def test_a_barred_citizen_ends_at_the_first_abuse_and_lifting_is_recorded(engine):
    incidents.bar(engine, "k4", "sup", "반복 폭언", days=7)
    assert policy.is_barred(engine, "k4")
    assert strike(engine, "c4", "k4", insult()).action == "end"
    assert incidents.lift(engine, "k4", "sup") == 1 and not policy.is_barred(engine, "k4")
    assert incidents.lift(engine, "k4", "sup") == 0
