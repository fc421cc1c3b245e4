"""FastAPI dependencies for console authentication, roles and CSRF."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, HTTPException, Request, WebSocket

from minwon.auth.accounts import AuthError, Principal, authenticate, check_csrf

COOKIE = "minwon_session"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def principal(request: Request) -> Principal:
    state = request.app.state.minwon
    # An AuthError goes to the one domain-error handler (api/errors.py): 401/403 with its message.
    p = authenticate(state.engine, state.settings.auth, request.cookies.get(COOKIE))
    if request.method not in SAFE_METHODS:
        check_csrf(p, request.headers.get("x-csrf-token"))
    return p


def require(*roles: str) -> Callable[[Principal], Principal]:
    def dep(p: Principal = Depends(principal)) -> Principal:
        if not p.can(*roles):
            raise HTTPException(403, detail="이 작업을 할 권한이 없습니다.")
        return p

    return dep


def websocket_principal(ws: WebSocket) -> Principal | None:
    """Cookie login plus a same-origin check (browsers send cookies cross-site on
    WebSocket handshakes, so the Origin header is the CSRF guard here)."""
    origin, host = ws.headers.get("origin"), ws.headers.get("host")
    if origin and host and origin.split("://", 1)[-1] != host:
        return None
    state = ws.app.state.minwon
    try:
        return authenticate(state.engine, state.settings.auth, ws.cookies.get(COOKIE))
    except AuthError:
        return None
