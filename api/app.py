"""The FastAPI application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from api import state
from api.routes import handoff, knowledge
from minwon.settings import Settings, get_settings

MAX_BODY_BYTES = 1_000_000


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.minwon = state.start(settings)
        yield
        app.state.minwon.retriever.stop()

    app = FastAPI(
        title="minwon API",
        description="예시시 민원 상담 챗봇: 상담 DB 검색과 상담원 연결 접수",
        version="0.1.0",
        lifespan=lifespan,
    )

    @app.middleware("http")
    async def limit_body(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return JSONResponse(
                {"detail": f"요청 본문이 너무 큽니다 (최대 {MAX_BODY_BYTES:,} 바이트)"}, status_code=413
            )
        return await call_next(request)

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
    app.include_router(handoff.router)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return app
