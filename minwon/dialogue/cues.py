"""What kind of turn a short Korean message is, from its words alone: an opener with no
topic yet, a filler (laughter, "잠깐만요"), an explicit yes or no, a correction ("여권 말고
주민등록증이요"), an elliptical follow-up ("며칠 걸려요?", "스티로폼은요?").

Pure Python and dependency-free, so the Rasa side (Python 3.10, the NLU screen and the
actions) and our services use the same rules. Why rules and not only intents: the intent
classifier is trained on a few dozen examples per small-talk intent and real first messages
vary without end; "물어볼 게 있어서 연락드렸어요" was classified as a callback request (연락) and
"ㅋㅋㅋ" as yes. An opener is recognised by what is left once greeting, filler and
"I have a question" words are taken away: if no content word remains, there is no topic.
"""

from __future__ import annotations

import re

_SPACE_PUNCT = re.compile(r"[\s.,!?~…·'\"()\[\]^;:ㆍ-]+")
_HANGUL = re.compile(r"[가-힣]")

# Spaceless pieces of "I have a question" sentences; citizens rarely space them.
_GREETING = ("안녕하십니까", "안녕하세요", "안녕하세여", "안녕하세용", "안녕", "수고많으십니다", "수고하십니다",
             "수고하세요", "여보세요", "저기요", "실례합니다", "반갑습니다", "좋은아침입니다")
_ASK_STEMS = ("다름이아니라", "다름아니라", "물어보려고", "물어볼려고", "물어보고", "물어봐도", "물어볼", "물어봐",
              "여쭤보려고", "여쭤볼려고", "여쭤봐도", "여쭤볼", "여쭙고", "여쭐", "여쭤", "문의", "질문",
              "상담", "궁금한", "궁금해서", "궁금", "연락", "전화", "알아보려고", "알아볼", "확인좀", "도움")
_FILLER = ("혹시", "그런데", "근데", "그게", "한가지만", "한가지", "몇가지", "하나만", "하나", "뭐좀", "뭔가",
           "잠깐", "잠시", "제가", "저", "네", "예", "아", "음", "어", "그", "좀", "뭐", "요")
_NOUNS = ("사항", "내용", "거", "게", "것", "점", "이", "가", "을", "를")
_ENDINGS = ("받을수있나요", "해도되나요", "해도될까요", "하고싶은데요", "하고싶어요", "받고싶어요", "드렸는데요",
            "드렸습니다", "드릴려고요", "드리려고요", "드리려구요", "드리고싶어요", "가능한가요", "가능할까요",
            "가능합니까", "가능하죠", "가능해요", "가능한지", "있는데요", "있습니다", "있어서요", "있어서",
            "있어요", "있구요", "있고요", "있는데", "드릴게요", "드릴께요", "드렸어요", "드립니다", "드려요",
            "드려도", "드리고", "할게요", "할께요", "하려고요", "할려고요", "하려구요", "싶어요", "싶은데요",
            "싶습니다", "되나요", "될까요", "되죠", "돼요", "해요", "합니다", "했어요", "했는데요", "왔어요",
            "왔는데요", "드릴", "드림", "받고", "받을", "받으려고", "할", "해")
_OPENER_PIECES = sorted({*_GREETING, *_ASK_STEMS, *_FILLER, *_NOUNS, *_ENDINGS}, key=len, reverse=True)
# A token is an opener word when it is made of these pieces and nothing else: "연락드렸어요"
# (연락+드렸어요) is, "요금" (요+금) is not.
_OPENER_TOKEN = re.compile("(?:" + "|".join(map(re.escape, _OPENER_PIECES)) + ")+")
_ASK_RE = re.compile("|".join(map(re.escape, sorted(_ASK_STEMS, key=len, reverse=True))))
# A request for a person or a call back is not an opener, even with no topic.
_NOT_OPENER = re.compile(r"상담원|상담사|사람|직원|담당자|연결|전화\s*(?:주|줘|해\s*주|부탁)|"
                         r"연락\s*(?:주|줘|부탁)|콜백|예약")

_LAUGH_OR_JAMO = re.compile(r"^[ㄱ-ㅎㅏ-ㅣ\s.!?~^]+$")
_FILLER_WORDS = {"잠깐만요", "잠시만요", "잠깐만", "잠시만", "잠깐요", "잠시요", "기다려주세요", "잠깐기다려주세요",
                 "잠시기다려주세요", "음", "음음", "어", "흠", "아", "헐", "오", "와", "아하", "하하", "허허", "호호"}
_JAMO_YES = {"ㅇㅇ", "ㅇㅋ", "ㅇㅇㅇ"}
_JAMO_NO = {"ㄴㄴ", "ㄴㄴㄴ"}

_YES_WORD = (r"(?:네+|넵|예+|응+|그래요|그래|좋아요|좋습니다|맞아요|맞습니다|맞아|동의합니다|동의해요|동의할게요|동의|"
             r"그렇게\s*해\s*주세요|부탁드립니다|부탁해요|알겠습니다|할게요|하겠습니다|해\s*주세요)")
_YES = re.compile(rf"^{_YES_WORD}(?:[\s,.!~]*{_YES_WORD})*[\s.!~]*$")
_NO = re.compile(r"(?:아니요|아니오|아뇨|아니|싫어요|싫습니다|괜찮아요|괜찮습니다|됐어요|안\s*할래요|동의\s*안|"
                 r"동의하지\s*않|비동의|거부)")

# "여권 말고 주민등록증이요", "아니 여권 말고요 등본이요", "그거 말고 주차 과태료요"
_CORRECTION = re.compile(r"^(?:아+|아니+|아니요|아뇨|앗|어|음)?[\s,.]*(?P<old>.*?)\s*말고(?:요|서)?[\s,.]*(?P<new>.+)$")
# Follow-ups that lean on the previous answer.
_FOLLOW_LEAD = re.compile(r"^(?:그럼|그러면|그러면요|그럼요|그건|그거|그거는|그것은|거기|거기서|거긴|그리고|또|"
                          r"그\s*다음|그래서|근데|그런데|그게|이건|이거|저건|혹시)\b")
_FOLLOW_TAIL = re.compile(r"(?:은요|는요|이요|요)\s*\??$")


def _compact(text: str) -> str:
    return _SPACE_PUNCT.sub("", text or "")


def is_opener(text: str) -> bool:
    """An opening with no topic yet ("물어볼 게 있어서 연락드렸어요", "안녕하세요 혹시 상담 가능한가요?")."""
    compact = _compact(text)
    if not compact or len(compact) > 40 or _NOT_OPENER.search(text or ""):
        return False
    if not _ASK_RE.search(compact):
        return False
    tokens = [t for t in _SPACE_PUNCT.split(text or "") if t]
    return all(_OPENER_TOKEN.fullmatch(t) for t in tokens)


def is_filler(text: str) -> bool:
    """Laughter, crying, "잠깐만요", interjections: neither a question nor an answer."""
    stripped = (text or "").strip()
    if not stripped:
        return False
    compact = _compact(stripped)
    if compact in _JAMO_YES or compact in _JAMO_NO:
        return False
    if _LAUGH_OR_JAMO.match(stripped):
        return True
    return compact in _FILLER_WORDS


def explicit_yes(text: str) -> bool:
    """Only words that say yes; laughter, emoji or "ㅇㅇ" are not consent."""
    t = (text or "").strip()
    if t in ("/affirm",):
        return True
    return bool(_YES.match(t)) and not explicit_no(t)


def explicit_no(text: str) -> bool:
    t = (text or "").strip()
    return t == "/deny" or _compact(t) in _JAMO_NO or bool(_NO.search(t))


def correction(text: str) -> str | None:
    """The new topic of a correction ("아 여권 말고 주민등록증이요" → "주민등록증이요"), or None."""
    m = _CORRECTION.match((text or "").strip())
    if not m:
        return None
    new = m.group("new").strip(" ,.")
    return new if _HANGUL.search(new) else None


def is_elliptical(text: str) -> bool:
    """A short follow-up that needs the previous topic to be understood."""
    t = (text or "").strip()
    hangul = len(_HANGUL.findall(t))
    if hangul == 0:
        return False
    if _FOLLOW_LEAD.match(t):
        return True
    if hangul <= 12:
        return True
    return hangul <= 18 and bool(_FOLLOW_TAIL.search(t))
