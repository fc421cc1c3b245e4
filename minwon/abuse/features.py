"""Character n-grams hashed into a fixed space: the one featurizer the trainer (sklearn, in
.venv/rasa) and the detector (numpy only, in both venvs) share, so the model is plain arrays
and no pickle crosses scikit-learn versions.

Why characters: abuse is spelled a hundred ways (씨발, 시발, ㅅㅂ, 씨1발) and glued to
particles; 1-4 character n-grams inside word boundaries catch the spellings a word list
misses, and the word boundary keeps 시발점 and 새끼 고양이 apart from the insults (their
n-grams with the following characters are what a linear model learns to weigh)."""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter

N_FEATURES = 1 << 18
MIN_N, MAX_N = 1, 4
MAX_CHARS = 500  # a 10,000-character paste costs the same as its first 500 characters

_SPACE = re.compile(r"\s+")
_REPEAT = re.compile(r"(.)\1{2,}")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _REPEAT.sub(r"\1\1", text)  # ㅋㅋㅋㅋㅋ, 씨이이이발: runs of three or more count as two
    return _SPACE.sub(" ", text).strip()[:MAX_CHARS]


def ngram_counts(text: str) -> Counter[int]:
    """Hashed n-gram -> count, like sklearn's char_wb analyzer (each word padded by spaces)."""
    counts: Counter[int] = Counter()
    for word in normalise(text).split(" "):
        if not word:
            continue
        w = f" {word} "
        for n in range(MIN_N, MAX_N + 1):
            for i in range(len(w) - n + 1):
                gram = w[i:i + n]
                if gram == " ":
                    continue
                counts[zlib.crc32(gram.encode()) % N_FEATURES] += 1
    return counts
