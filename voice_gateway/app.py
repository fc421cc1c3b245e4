"""The voice gateway's service (port 8100): the WebSocket media stream, health and
figures, and the SIP listener (5060/udp) started beside it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, WebSocket

from minwon.privacy import install_log_masking
from minwon.settings import Settings, get_settings
from voice_gateway.engine import VoiceEngine
from voice_gateway.transports import media_stream

log = logging.getLogger("minwon.voice")


def create_app(settings: Settings | None = None, engine: VoiceEngine | None = None) -> FastAPI:
    settings = settings or get_settings()
    install_log_masking()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        eng = engine or VoiceEngine(settings)
        await asyncio.get_running_loop().run_in_executor(None, eng.warm_up)
        app.state.engine = eng
        warm = asyncio.ensure_future(eng.warm_dialogue())
        sip = None
        if settings.voice.sip_enabled:
            from voice_gateway.transports.sip import SipGateway

            sip = SipGateway(eng, asyncio.get_running_loop())
            sip.start()
            app.state.sip = sip
        log.info("voice gateway ready: ws :%s, sip %s", settings.voice.port,
                 f"udp :{settings.voice.sip_port}" if sip else "off")
        try:
            yield
        finally:
            warm.cancel()
            for call in list(eng.calls.values()):
                await call.caller_hung_up()
            if sip:
                sip.stop()
            await eng.close()

    app = FastAPI(title="minwon voice gateway", lifespan=lifespan)

    @app.get("/health")
    def health() -> dict[str, Any]:
        eng: VoiceEngine = app.state.engine
        return {"ok": True, "calls": len(eng.calls)}

    @app.get("/stats")
    def stats() -> dict[str, Any]:
        eng: VoiceEngine = app.state.engine
        return {"calls": len(eng.calls), "calls_started": eng.stats.calls_started,
                "calls_ended": eng.stats.calls_ended, "recent_calls": eng.stats.recent[-20:],
                "corrections_asked": eng.stats.corrections_asked,
                "corrections_failed": eng.stats.corrections_failed,
                "turns": eng.stats.turns[-200:]}

    @app.websocket("/media-stream")
    async def media(ws: WebSocket) -> None:
        await media_stream.serve(ws, app.state.engine)

    return app
