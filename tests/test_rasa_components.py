"""Rasa-side code run in the Rasa venv: the KoreanTokenizer (Kiwi, Okt, Komoran) and the cached
action-reply validation."""

import json
import subprocess

import pytest

from tests.stack import ROOT

SAMPLES = [
    "버스첫차몇시에요",                      # no spacing
    "여권 재발급 받으려면 뭐 갖고가요??",     # informal, punctuation
    "수도요금이 넘 마니 나왔어요 ㅠㅠ",        # typos, emoticon jamo
    "😀😀",                                  # emoji only
    "I need 주민등록등본 2통",                # mixed Korean / English / numbers
    "갔었어요",                               # contracted morphemes share a span
]


def tokenize(analyzer: str) -> list[list[list]]:
    proc = subprocess.run(
        [str(ROOT / ".venv/rasa/bin/python"), "-m", "tests.rasa_side.tokenize_samples", analyzer, *SAMPLES],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("analyzer", ["kiwi", "okt", "komoran"])
def test_offsets_point_into_the_original_text(analyzer):
    for text, tokens in zip(SAMPLES, tokenize(analyzer), strict=True):
        assert tokens, (analyzer, text)
        last_start = 0
        for form, start, end, _pos in tokens:
            assert 0 <= start <= end <= len(text), (analyzer, text, form, start, end)
            assert start >= last_start, f"offsets go backwards in {text!r}"
            last_start = start


def test_kiwi_splits_spacing_free_questions_into_morphemes():
    by_text = dict(zip(SAMPLES, tokenize("kiwi"), strict=True))
    forms = [t[0] for t in by_text["버스첫차몇시에요"]]
    assert forms[:3] == ["버스", "첫차", "몇"]
    # Surface spans are exact where the morpheme is not contracted.
    assert [(t[1], t[2]) for t in by_text["버스첫차몇시에요"][:2]] == [(0, 2), (2, 4)]
    assert "?" not in [t[0] for t in by_text["여권 재발급 받으려면 뭐 갖고가요??"]]
    # Emoji are kept as tokens (👍 can mean yes), with their own spans.
    assert [(t[0], t[1], t[2]) for t in by_text["😀😀"]] == [("😀", 0, 1), ("😀", 1, 2)]
    mixed = [t[0] for t in by_text["I need 주민등록등본 2통"]]
    assert "2" in mixed and any(f.lower() == "need" for f in mixed)


def test_action_reply_validation_is_cached_and_equivalent():
    proc = subprocess.run(
        [str(ROOT / ".venv/rasa/bin/python"), "-m", "tests.rasa_side.validation_check"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3"}, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["installed"] and all(out["same"]) and out["good"] == "ok"
    assert out["cached_ms"] * 5 < out["original_ms"], out
