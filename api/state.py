"""Process-wide objects of the API service, created once at start-up."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine

from minwon.db.session import make_engine, migrate
from minwon.handoff.spool import ingest as ingest_spool
from minwon.knowledge.store import count, import_file
from minwon.retrieval.retriever import LiveRetriever
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
    ingest_spool(engine, settings.spool_dir)
    retriever = LiveRetriever.from_settings(settings.retrieval, engine, settings.offtopic_calibration)
    retriever.start()
    return AppState(settings, engine, retriever)
