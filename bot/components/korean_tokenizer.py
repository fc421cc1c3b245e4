"""A Korean morpheme tokenizer for Rasa 3.6.

Korean words glue particles and endings to stems (여권을, 재발급받으려면), and citizens
often type without spaces, so whitespace tokens generalise badly. This component splits
text into morphemes with Kiwi (default) or a KoNLPy tagger (Okt, Komoran), keeping
character offsets into the original text so entity extractors still work.

config.yml::

    - name: bot.components.korean_tokenizer.KoreanTokenizer
      analyzer: kiwi        # kiwi | okt | komoran
      drop_punctuation: true
"""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Tuple

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

# Kiwi punctuation and symbol tags we drop (SL foreign words, SN numbers, SH hanja stay).
_PUNCT_TAGS = {"SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW"}
_KONLPY_PUNCT = {"Punctuation", "SF", "SP", "SS", "SE", "SO", "SW", "Foreign"}


class _Analyzer:
    """Returns (form, tag, start, end) morphemes with offsets into the input text."""

    def __call__(self, text: str) -> List[Tuple[str, str, int, int]]:
        raise NotImplementedError


class _KiwiAnalyzer(_Analyzer):
    def __init__(self, typos: str | None) -> None:
        from kiwipiepy import Kiwi

        # Loading Kiwi takes about a second: one analyser, shared behind a lock.
        self._kiwi = Kiwi()
        self._lock = threading.Lock()
        self.typos = typos

    def __call__(self, text: str) -> List[Tuple[str, str, int, int]]:
        kwargs = {"typos": self.typos} if self.typos else {}
        with self._lock:
            tokens = self._kiwi.tokenize(text, **kwargs)
        return [(t.form, t.tag.split("-")[0], t.start, t.start + t.len) for t in tokens]


class _KonlpyAnalyzer(_Analyzer):
    """KoNLPy taggers give no offsets: find each surface form in order in the text."""

    def __init__(self, name: str) -> None:
        from konlpy import tag

        self._tagger = {"okt": tag.Okt, "komoran": tag.Komoran}[name]()
        self._lock = threading.Lock()

    def __call__(self, text: str) -> List[Tuple[str, str, int, int]]:
        import jpype

        if jpype.isJVMStarted() and not jpype.java.lang.Thread.isAttached():
            jpype.java.lang.Thread.attach()  # the JVM needs each web-server thread attached
        # Java strings hold emoji as surrogate pairs and KoNLPy fails to decode them:
        # blank out non-BMP characters (one for one, so offsets stay valid).
        safe = "".join(" " if ord(ch) > 0xFFFF else ch for ch in text)
        with self._lock:
            pairs = self._tagger.pos(safe) if safe.strip() else []
        out: List[Tuple[str, str, int, int]] = []
        cursor = 0
        for form, tag in pairs:
            pos = text.find(form, cursor)
            if pos < 0:  # the tagger normalised the surface: anchor at the cursor
                out.append((form, tag, cursor, cursor))
                continue
            out.append((form, tag, pos, pos + len(form)))
            cursor = pos + len(form)
        return out


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class KoreanTokenizer(Tokenizer):
    """Morpheme tokenizer for Korean (Kiwi or KoNLPy)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "analyzer": "kiwi",
            # Kiwi typo correction ("basic", "continual", ...); off by default: it is slow
            # and rarely fixes what citizens mistype.
            "typos": None,
            "drop_punctuation": True,
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> List[str] | None:
        return ["ko"]

    @staticmethod
    def required_packages() -> List[str]:
        return ["kiwipiepy"]

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        name = str(config.get("analyzer", "kiwi")).lower()
        if name == "kiwi":
            self._analyze: _Analyzer = _KiwiAnalyzer(config.get("typos"))
        elif name in ("okt", "komoran"):
            self._analyze = _KonlpyAnalyzer(name)
        else:
            raise ValueError(f"KoreanTokenizer: unknown analyzer {name!r} (kiwi, okt, komoran)")
        self.analyzer_name = name
        self.drop_punctuation = bool(config.get("drop_punctuation", True))

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KoreanTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        text = message.get(attribute) or ""
        morphemes = self._analyze(text) if text.strip() else []
        tokens: List[Token] = []
        last_end = 0
        for form, tag, start, end in morphemes:
            if self.drop_punctuation and (tag in _PUNCT_TAGS or tag in _KONLPY_PUNCT):
                continue
            # Kiwi gives contracted morphemes (갔 → 가+었) the same span; keep offsets
            # monotonic so BILOU entity tagging sees an ordered sequence.
            start = max(start, last_end) if start < last_end and end <= last_end else start
            end = max(end, start)
            token = Token(form, start, end, data={"pos": tag}, lemma=form)
            tokens.append(token)
            last_end = max(last_end, end)
        if not tokens:
            # Only emoji or punctuation: one token for the whole text, as Rasa's own tokenizers do.
            stripped = text.strip()
            if stripped:
                start = text.index(stripped)
                tokens = [Token(stripped, start, start + len(stripped))]
        return self._apply_token_pattern(tokens)
