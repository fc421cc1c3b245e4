"""Cleaning citizen text before it reaches NLU, retrieval or storage."""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY_CHARS = 500  # retrieval looks at the start of very long messages only
MAX_STORED_CHARS = 10_000

_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\ufeff]")
_SPACES = re.compile(r"\s+")


def clean(text: str | None, limit: int | None = None) -> str:
    """NFC-normalise (jamo typed on phones arrive decomposed), drop control and zero-width
    characters, fold white space, and cut to ``limit`` characters."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    if limit is not None and len(text) > limit:
        text = text[:limit]
    return text


def decode_bytes(raw: bytes) -> str:
    """Decode bytes from a caller who may not send UTF-8: UTF-8 first, then CP949 (the
    Korean Windows code page), then UTF-8 with replacement so nothing is refused."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def has_meaningful_text(text: str) -> bool:
    """True when the text has at least one letter or digit (not only emoji or punctuation)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
