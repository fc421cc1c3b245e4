"""KakaoTalk skill endpoint: ``POST /webhooks/kakao/webhook`` on the API's port, an adapter
over the gateway (``minwon/channels/kakao/gateway.py``: reply budget, Kakao's retries, late
replies, callbacks, held counsellor replies)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["kakao"])


@router.post("/webhooks/kakao/webhook")
async def skill(request: Request) -> JSONResponse:
    """Kakao i Open Builder skill endpoint (SkillPayload in, SkillResponse 2.0 out)."""
    gateway = request.app.state.minwon.kakao
    status, body = await gateway.handle(request.headers.get("x-skill-token") or "", await request.body())
    return JSONResponse(body, status_code=status)
