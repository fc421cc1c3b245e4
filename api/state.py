"""Process-wide objects of the API service, created once at start-up."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine

from minwon.db.session import make_engine, migrate
from minwon.knowledge.store import count, import_file
from minwon.retrieval.encoders import make_encoder
from minwon.retrieval.retriever import LiveRetriever, load_offtopic
from minwon.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    retriever: LiveRetriever


def start(settings: Settings) -> AppState:
    engine = make_engine(settings.database_url)
    migrate(engine)
    if settings.seed_sample_db and count(engine) == 0 and settings.sample_db_csv.exists():
        n, errors = import_file(engine, str(settings.sample_db_csv), updated_by="sample")
        log.info("seeded %d sample counseling-DB entries (%d rows rejected)", n, len(errors))
    r = settings.retrieval
    retriever = LiveRetriever(
        r,
        make_encoder(r.dense_backend, r.dense_model_path, r.dense_query_prefix),
        engine,
        load_offtopic(settings.offtopic_calibration),
    )
    retriever.start()
    return AppState(settings, engine, retriever)
