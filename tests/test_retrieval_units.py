"""BM25 normalisation, the answer/clarify/reject decision and threshold calibration."""

import numpy as np

from minwon.retrieval.decision import Thresholds, calibrate, decide
from minwon.retrieval.documents import Candidate, EntryDoc
from minwon.retrieval.index import SearchIndex
from minwon.retrieval.lexical import BM25Index
from minwon.retrieval.morphemes import terms


def test_terms_handle_spacing_free_input():
    assert terms("버스첫차몇시에요")[:3] == ["버스", "첫차", "몇"]
    assert "재발급" in terms("여권재발급준비물") or "발급" in terms("여권재발급준비물")


def test_bm25_is_normalised_between_0_and_1():
    bm = BM25Index([["버스", "첫차"], ["수도", "요금"], ["버스", "요금", "요금"]])
    s = bm.scores(["버스", "첫차"])
    assert 0 < s[0] <= 1 and s[1] == 0 and s[0] > s[2]
    assert bm.scores(["없는단어"]).max() == 0
    # An unknown term lowers the best reachable score.
    assert bm.scores(["버스", "첫차", "야구"])[0] < s[0]


def _cand(i, score):
    return Candidate(EntryDoc(id=f"E{i}", question=f"q{i}"), score)


def test_decide_answer_clarify_reject():
    th = Thresholds(answer=0.8, clarify=0.7, margin=0.02)
    assert decide([_cand(1, 0.9), _cand(2, 0.85)], th).kind == "answer"
    d = decide([_cand(1, 0.9), _cand(2, 0.89), _cand(3, 0.885), _cand(4, 0.5)], th)
    assert d.kind == "clarify" and [c.entry.id for c in d.choices] == ["E1", "E2", "E3"]
    d = decide([_cand(1, 0.75), _cand(2, 0.6)], th)
    assert d.kind == "clarify" and [c.entry.id for c in d.choices] == ["E1"]
    assert decide([_cand(1, 0.6)], th).kind == "reject"
    assert decide([], th).kind == "reject"


def test_calibrate_uses_offtopic_quantiles():
    th = calibrate(np.linspace(0, 1, 101), answer_rate=0.02, clarify_rate=0.1, margin=0.02)
    assert abs(th.answer - 0.98) < 1e-6 and abs(th.clarify - 0.9) < 1e-6


def test_lexical_only_index_ranks_and_respects_validity():
    from datetime import date

    docs = [
        EntryDoc(id="bus", question="시내버스 첫차 시간", alt_questions=("버스 첫차 몇 시",)),
        EntryDoc(id="water", question="수도요금 자동이체 신청"),
        EntryDoc(id="flu", question="독감 예방접종 기간", valid_from=date(2026, 10, 1), valid_to=date(2027, 1, 31)),
    ]
    index = SearchIndex(docs, None)
    assert index.search("버스첫차몇시에요", None, k=3)[0].entry.id == "bus"
    assert index.search("독감 예방접종", None, k=1, today=date(2026, 11, 22))[0].entry.id == "flu"
    assert all(c.entry.id != "flu" for c in index.search("독감 예방접종", None, k=3, today=date(2027, 6, 1)))
