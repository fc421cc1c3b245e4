"""The FastAPI application."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from api import errors, state
from api.routes import admin, console, conversations, handoff, kakao, knowledge, models
from api.routes import incidents as abuse_incidents
from minwon.privacy import install_log_masking
from minwon.settings import ROOT, Settings, get_settings

WEB_DIR = ROOT / "web"

MAX_BODY_BYTES = 1_000_000


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.minwon = state.start(settings)
        app.state.minwon.hub.bind(asyncio.get_running_loop())
        yield
        app.state.minwon.retriever.stop()
        await app.state.minwon.rasa.close()

    app = FastAPI(
        title="minwon API",
        description="예시시 민원 상담 챗봇: 상담 DB 검색과 상담원 연결 접수",
        version="0.1.0",
        lifespan=lifespan,
    )

    @app.middleware("http")
    async def limit_body(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        # File imports have their own, larger limit (api/routes/admin.py).
        limit = 20 * MAX_BODY_BYTES if request.url.path == "/api/admin/imports" else MAX_BODY_BYTES
        if length and length.isdigit() and int(length) > limit:
            return JSONResponse(
                {"detail": f"요청 본문이 너무 큽니다 (최대 {limit:,} 바이트)"}, status_code=413
            )
        return await call_next(request)

    errors.install(app)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": "요청 형식이 올바르지 않습니다", "errors": errors}, status_code=422)

    @app.get("/health", tags=["ops"])
    def health(request: Request) -> dict[str, object]:
        r = request.app.state.minwon.retriever
        return {"status": "ok", "entries": len(r.index), "thresholds": r.thresholds.__dict__}

    app.include_router(knowledge.router)
    app.include_router(conversations.router)
    # Internal routes: only with the service token (api/service_auth.py).
    app.include_router(knowledge.internal)
    app.include_router(handoff.internal)
    app.include_router(conversations.internal)
    app.include_router(console.router)
    app.include_router(kakao.router)
    app.include_router(admin.router)
    app.include_router(models.router)
    app.include_router(abuse_incidents.internal)
    app.include_router(abuse_incidents.router)
    app.mount("/console", StaticFiles(directory=WEB_DIR / "console", html=True), name="console")
    app.mount("/admin", StaticFiles(directory=WEB_DIR / "admin", html=True), name="admin")
    app.mount("/widget", StaticFiles(directory=WEB_DIR / "widget"), name="widget")
    app.mount("/demo", StaticFiles(directory=WEB_DIR / "demo", html=True), name="demo")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        if request.url.path.startswith(("/console", "/admin")):
            # Citizen text is rendered as text by the console; the policy is the second lock.
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
            )
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Referrer-Policy"] = "same-origin"
        return response

    install_log_masking()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return app
