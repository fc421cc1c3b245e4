"""The counseling DB's own names (sub-topics, keywords, departments), and putting them back
into text that a recogniser misspelt.

Whisper writes a name it does not know as the nearest thing it does: "아이스팩" comes back as
"아이스풷", "지방세" as "지망세", and a word cut in two ("아 이수팩"). The correction compares
spellings at the level of jamo (초성·중성·종성, from the Unicode canonical decomposition), so
one wrong vowel or final consonant costs one edit, not a whole syllable. Only words of three
syllables or more are considered: shorter ones are too easily a different word. And only
spellings that are not ordinary Korean are replaced (Kiwi's likelihood of the spelling per
syllable below ``ODD_BELOW``): "신고한" is one edit from "신고기한" and "자동차" from
"자동차세", but a caller who says them means them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from minwon.retrieval.morphemes import syllable_score

_HANGUL_WORD = re.compile(r"^[가-힣]+$")
_LEADING_HANGUL = re.compile(r"^[가-힣]+")
MIN_SYLLABLES = 3
# What may follow a corrected name inside the same word: nothing, or a particle or copula
# ending. Anything else means the word goes on as a different word ("수영잘하고" is not
# "수영장" + "하고"), and it is left alone.
# fmt: off
PARTICLES = frozenset((
    "은", "는", "이", "가", "을", "를", "에", "의", "도", "만", "로", "와", "과", "랑", "요",
    "이요", "이랑", "에서", "에게", "으로", "까지", "부터", "보다", "처럼", "이나", "나",
    "이에요", "예요", "인데", "인데요", "이죠", "은요", "는요", "이가", "이는", "이를", "에는",
    "에도", "에서는", "으로는", "문의", "관련", "신청",
))
# fmt: on
# Past this many tokens the text is not a spoken question; it goes on as it came.
MAX_TOKENS = 60
# Measured on the sample DB's held-out questions and everyday chat (ChatbotData): ordinary
# words score above -8.6 per syllable, the recogniser's misspellings below (docs/benchmarks.md).
ODD_BELOW = -8.6


def jamo(text: str) -> str:
    return unicodedata.normalize("NFD", text)


class Named(Protocol):
    """An entry as the retriever or the DB file has it."""

    subcategory: str
    department: str

    @property
    def keywords(self) -> Sequence[str]: ...


def db_words(docs: Iterable[Named]) -> list[str]:
    """Single-word names (Hangul, 3+ syllables) from the entries' sub-topics, departments
    and keywords, in first-seen order."""
    words: dict[str, None] = {}
    for d in docs:
        for w in (d.subcategory, d.department, *d.keywords):
            w = (w or "").strip()
            if _HANGUL_WORD.match(w) and MIN_SYLLABLES <= len(w) <= 12:
                words.setdefault(w, None)
    return list(words)


@dataclass(frozen=True)
class Correction:
    heard: str
    word: str
    distance: float


class VocabularyCorrector:
    """``max_distance``: edits per jamo of the longer spelling (0.25 = one edit in four)."""

    def __init__(self, words: Sequence[str] = (), max_distance: float = 0.25) -> None:
        self.words = [w for w in dict.fromkeys(words) if _HANGUL_WORD.match(w) and len(w) >= MIN_SYLLABLES]
        self.known = set(self.words)
        self._keys = [jamo(w) for w in self.words]
        self.max_distance = max_distance

    def __len__(self) -> int:
        return len(self.words)

    def _nearest(self, spelling: str) -> Correction | None:
        if spelling in self.known or not self._keys:
            return None
        found = process.extractOne(
            jamo(spelling), self._keys, scorer=Levenshtein.normalized_distance, score_cutoff=self.max_distance
        )
        if found is None or syllable_score(spelling) >= ODD_BELOW:
            return None
        _key, distance, i = found
        return Correction(spelling, self.words[i], float(distance))

    def _starts_known(self, token: str) -> bool:
        # Prefixes of the token against the set: the DB may hold thousands of names.
        return any(token[:n] in self.known for n in range(MIN_SYLLABLES, min(len(token), 12) + 1))

    def _stem_match(self, token: str) -> tuple[Correction, str] | None:
        """The longest leading run of the token's Hangul that is near a DB word; the rest
        (a particle such as "은", "이요") stays as it was."""
        m = _LEADING_HANGUL.match(token)
        if not m:
            return None
        stem = m.group(0)
        if self._starts_known(stem):
            return None  # already spelt right (with or without a particle)
        for n in range(len(stem), MIN_SYLLABLES - 1, -1):
            if n < len(stem) and stem[n:] not in PARTICLES:
                continue
            found = self._nearest(stem[:n])
            if found:
                return found, token[n:]
        return None

    def correct(self, text: str) -> tuple[str, list[Correction]]:
        tokens = text.split()
        if not self.words or not tokens or len(tokens) > MAX_TOKENS:
            return text, []
        out: list[str] = []
        fixes: list[Correction] = []
        i = 0
        while i < len(tokens):
            # A name the recogniser split after its first syllable ("아 이수팩") is tried
            # joined first, unless the second word is a DB name already ("애 버스요금").
            if (
                i + 1 < len(tokens)
                and len(tokens[i]) == 1
                and _HANGUL_WORD.match(tokens[i])
                and not self._starts_known(tokens[i + 1])
            ):
                joined = self._stem_match(tokens[i] + tokens[i + 1])
                if joined and len(joined[0].heard) > len(tokens[i]):
                    fixes.append(joined[0])
                    out.append(joined[0].word + joined[1])
                    i += 2
                    continue
            single = self._stem_match(tokens[i])
            if single:
                fixes.append(single[0])
                out.append(single[0].word + single[1])
            else:
                out.append(tokens[i])
            i += 1
        return (" ".join(out) if fixes else text), fixes
