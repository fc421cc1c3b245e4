"""The boundary between the two audiences of the API.

Public routes serve citizens (widget, KakaoTalk), counsellors and knowledge managers (the
console and admin pages, with their own login). Internal routes serve only our other
processes: the action server (knowledge search, tickets, availability), the Rasa side
(messages relayed during a handoff) and the voice gateway (tickets, name correction). They
are declared on an internal router and each request must carry the service token, so a
caller who can reach the port cannot rebuild the index, fill the queue, read transcripts
or speak into a conversation as the citizen.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, HTTPException, Request

HEADER = "X-Minwon-Service-Token"


def require_service(request: Request) -> None:
    """401 without a token, 403 with a wrong one; compared in constant time."""
    expected = request.app.state.minwon.settings.service_token
    given = request.headers.get(HEADER)
    if not given:
        raise HTTPException(401, detail="내부 서비스 전용 주소입니다.")
    if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(403, detail="내부 서비스 인증에 실패했습니다.")


def internal_router(**kwargs: object) -> APIRouter:
    """A router whose every route requires the service token."""
    return APIRouter(dependencies=[Depends(require_service)], **kwargs)  # type: ignore[arg-type]
