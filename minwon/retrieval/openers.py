"""Greetings, fillers and opener phrases cut from a citizen's question before scoring.

Real first questions start with "안녕하세요 수고하십니다 다름이 아니라 제가 …": these spans
carry no topic but dilute BM25 (unknown terms count in its normaliser) and pull the e5
vector towards small talk, so a clear question padded with them fell below the answer
threshold. A message that is nothing but an opener ("혹시 상담 가능한가요?") has no topic:
it is rejected here (the dialogue invites the citizen to ask) instead of matched to the
nearest entry. The original text is kept for logging; only scoring sees the cut text.
"""

from __future__ import annotations

import re

# Whole-word spans anywhere in the text (greetings, call openers, fillers, hedges).
_SPANS = [
    r"안녕하(?:세요|십니까|세여)[~!.]*",
    r"수고(?:\s*많)?(?:으)?(?:하)?(?:십니다|세요|하세요)[~!.]*",
    r"여보세요\??",
    r"다름이\s*아니(?:라|고)(?:요)?",
    r"다른\s*게\s*아니(?:라|고)(?:요)?",
    r"그\s*뭐냐",
    r"그러니까",
    r"저기요?",
    # Whole words only: "처음 만들려고" must keep its 음.
    r"(?:^|(?<=\s))(?:네네|네|예|아|어|음|흠|그)(?=\s)",
    r"ㅎㅎ+|ㅋㅋ+|ㅠㅠ+|ㅜㅜ+",
    r"(?:질문|문의|상담)(?:\s*좀)?\s*(?:하나만\s*)?(?:드릴게요|드립니다|드려요|할게요|하려고요|받고\s*싶어서\s*연락했어요)",
    r"(?:뭐\s*좀\s*)?여쭤(?:봐도\s*될까요|볼게요|보려고요)\??",
    r"(?:궁금한\s*게\s*있어서(?:요)?|물어볼\s*게\s*있어서\s*연락드렸어요)",
    r"전화\s*(?:드렸|했)(?:어요|는데요|습니다)",
]
_PATTERN = re.compile("|".join(f"(?:{p})" for p in _SPANS))
_SPACE = re.compile(r"\s+")
# What is left of a pure opener: "혹시 상담 가능한가요", "지금 통화 가능하세요".
_TOPICLESS = re.compile(
    r"^(?:(?:혹시|지금|저|제가|좀|저희|그|네|요)\s*)*(?:상담|통화|문의|질문)?\s*(?:가능한가요|가능하세요|되나요|되죠|돼요)?[?~.!\s]*$"
)


def strip_openers(text: str) -> str:
    """``text`` without greeting, filler and opener spans ("" when nothing else is left)."""
    cut = _SPACE.sub(" ", _PATTERN.sub(" ", text)).strip(" ,.~!")
    if _TOPICLESS.match(cut):
        return ""
    return cut
