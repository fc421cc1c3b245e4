"""Kiwi morphemes as lexical terms for BM25.

Content morphemes (nouns, verb and adjective stems, roots, foreign words, numbers) plus
adverbs, determiners, pronouns and numerals: 안/못/다/몇 change what a citizen asks.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from kiwipiepy import Kiwi

KEEP_TAGS = ("NNG", "NNP", "NNB", "NR", "NP", "VV", "VA", "XR", "SL", "SN", "SH", "MAG", "MM")

_kiwi_instance: Kiwi | None = None
# Loading Kiwi takes about a second and its thread-safety is not documented: one shared
# analyser behind a lock (an analysis takes ~0.1 ms, so the lock costs nothing).
_lock = threading.Lock()


def _kiwi() -> Kiwi:
    global _kiwi_instance
    if _kiwi_instance is None:
        _kiwi_instance = Kiwi()
    return _kiwi_instance


def terms(text: str) -> list[str]:
    """Lexical terms of ``text``; verbs and adjectives are marked so 가다 ≠ 가 (noun)."""
    return list(_cached_terms(text))


@lru_cache(maxsize=50_000)
def _cached_terms(text: str) -> tuple[str, ...]:
    out: list[str] = []
    with _lock:
        tokens = _kiwi().tokenize(text)
    for tok in tokens:
        tag = tok.tag.split("-")[0]  # VV-R / VV-I → VV
        if tag.startswith(KEEP_TAGS) or tag in KEEP_TAGS:
            form = tok.form.lower()
            out.append(f"{form}/V" if tag in ("VV", "VA") else form)
    return tuple(out)


def space(text: str) -> str:
    """Re-space text typed without spaces ("버스첫차몇시에요" → "버스 첫차 몇 시에요")."""
    with _lock:
        return _kiwi().space(text, reset_whitespace=False)


@lru_cache(maxsize=10_000)
def syllable_score(word: str) -> float:
    """Kiwi's log-likelihood of its best analysis of ``word`` per syllable: ordinary words
    score about -4 to -8 ("자동차" -5.6, "신고한" -6.8), strings Kiwi has to guess as an
    unknown noun about -9 to -12 ("아이스풷" -12.1, "지망세" -10.1)."""
    if not word:
        return 0.0
    with _lock:
        _tokens, score = _kiwi().analyze(word, top_n=1)[0]
    return float(score) / len(word)
