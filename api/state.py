"""Process-wide objects of the API service, created once at start-up."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from minwon.auth.accounts import LoginThrottle, ensure_admin
from minwon.channels.dedup import purge as purge_requests
from minwon.channels.kakao.gateway import KakaoGateway
from minwon.channels.kakao.memory import KakaoMemory
from minwon.channels.outbound import OutboundSender, make_sender
from minwon.channels.webchat import WebChat
from minwon.db.session import make_engine, migrate
from minwon.handoff.hours import BusinessHours
from minwon.handoff.hub import Hub
from minwon.handoff.rasa_bridge import RasaBridge
from minwon.handoff.service import HandoffService
from minwon.handoff.spool import ingest as ingest_spool
from minwon.knowledge.review import Drafts
from minwon.knowledge.store import count, import_file
from minwon.nlu_models import TrainingJob
from minwon.retrieval.retriever import LiveRetriever
from minwon.settings import VAR_DIR, Settings

log = logging.getLogger(__name__)


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    retriever: LiveRetriever
    hub: Hub
    hours: BusinessHours
    rasa: RasaBridge
    throttle: LoginThrottle
    outbound: OutboundSender
    kakao_memory: KakaoMemory
    kakao_token: str
    kakao_bot_id: str
    kakao: KakaoGateway
    handoff: HandoffService
    webchat: WebChat
    drafts: Drafts
    training: TrainingJob


def start(settings: Settings) -> AppState:
    engine = make_engine(settings.database_url)
    migrate(engine)
    if settings.seed_sample_db and count(engine) == 0 and settings.sample_db_csv.exists():
        n, errors = import_file(engine, str(settings.sample_db_csv), updated_by="sample")
        log.info("seeded %d sample counseling-DB entries (%d rows rejected)", n, len(errors))
    ensure_admin(engine, settings.auth, VAR_DIR / "admin_password.txt")
    ingest_spool(engine, settings.spool_dir)
    retriever = LiveRetriever.from_settings(settings.retrieval, engine, settings.offtopic_calibration)
    retriever.start()
    purge_requests(engine)
    k = settings.kakao
    # Open Builder's own names for these are accepted as they are.
    kakao_token = k.skill_token or os.environ.get("KAKAO_SKILL_TOKEN", "")
    kakao_bot_id = k.bot_id or os.environ.get("KAKAO_BOT_ID", "")
    if not settings.service_token:
        log.warning("no MINWON_SERVICE_TOKEN: every internal route refuses every caller")
    if not kakao_token:
        log.warning("no KAKAO_SKILL_TOKEN: the KakaoTalk skill endpoint refuses every request")
    rasa = RasaBridge(settings.rasa_url, settings.handoff.rasa_token)
    outbound = make_sender(k.outbound, k.outbound_url, kakao_bot_id, k.event_api_key, k.event_name)
    memory = KakaoMemory()
    hub = Hub()
    handoff = HandoffService(engine, hub, settings.handoff, rasa, outbound)
    return AppState(
        settings=settings, engine=engine, retriever=retriever, hub=hub,
        hours=BusinessHours(settings.handoff.hours),
        rasa=rasa,
        throttle=LoginThrottle(settings.auth.max_failures, settings.auth.lockout_s),
        outbound=outbound,
        kakao_memory=memory,
        kakao_token=kakao_token,
        kakao_bot_id=kakao_bot_id,
        kakao=KakaoGateway(engine, rasa, k, memory, outbound, kakao_token, kakao_bot_id, settings.call_centre_phone),
        handoff=handoff,
        webchat=WebChat(engine, handoff, rasa, settings.handoff),
        drafts=Drafts(engine, retriever),
        training=TrainingJob(Path(os.environ.get("MINWON_MODELS_DIR", settings.models_dir))),
    )
