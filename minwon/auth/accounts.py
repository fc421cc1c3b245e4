"""Users and login sessions (server-side, token hashed, CSRF token per session)."""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError

from minwon.auth.passwords import check_strength, hash_password, verify_password
from minwon.db.models import AuthSession, User, utcnow
from minwon.db.session import session_scope
from minwon.errors import MinwonError
from minwon.settings import AuthSettings

log = logging.getLogger(__name__)

ROLES = ("counsellor", "supervisor", "knowledge_manager", "admin")
ROLE_KO = {"counsellor": "상담원", "supervisor": "관리자(슈퍼바이저)", "knowledge_manager": "지식 관리자",
           "admin": "시스템 관리자"}


class AuthError(MinwonError):
    code = "auth"


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    display_name: str
    role: str
    department: str
    csrf_token: str

    def can(self, *roles: str) -> bool:
        return self.role in roles or self.role == "admin"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def create_user(engine: Engine, username: str, password: str, role: str = "counsellor",
                display_name: str = "", department: str = "") -> User:
    username = username.strip()
    if not username or len(username) > 100 or not all(c.isalnum() or c in "._-" for c in username):
        raise AuthError(422, "아이디는 글자, 숫자, 점(.), 밑줄(_), 하이픈(-)만 쓸 수 있습니다 (100자 이내).")
    if role not in ROLES:
        raise AuthError(422, f"알 수 없는 역할입니다: {role[:30]} (가능: {', '.join(ROLES)})")
    weak = check_strength(password)
    if weak:
        raise AuthError(422, weak)
    user = User(username=username, password_hash=hash_password(password), role=role,
                display_name=display_name.strip()[:100] or username, department=department.strip()[:100])
    try:
        with session_scope(engine) as s:
            s.add(user)
    except IntegrityError as exc:
        raise AuthError(409, f"이미 있는 아이디입니다: {username}") from exc
    return user


def list_users(engine: Engine) -> list[User]:
    with session_scope(engine) as s:
        return list(s.scalars(select(User).order_by(User.username)))


def ensure_admin(engine: Engine, config: AuthSettings, password_file: Path) -> str | None:
    """On a first start with no users, create the admin. Returns where the generated
    password was written (None when users exist or the password was configured)."""
    with session_scope(engine) as s:
        if s.scalar(select(func.count(User.id))):
            return None
    password = config.admin_password or secrets.token_urlsafe(12) + "7a"
    try:
        create_user(engine, config.admin_username, password, "admin", "시스템 관리자")
    except AuthError as exc:
        if exc.status == 409:  # another process just did it
            return None
        raise
    if config.admin_password:
        return None
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.write_text(password + "\n", encoding="utf-8")
    password_file.chmod(0o600)
    log.info("created the first admin user %r; password in %s", config.admin_username, password_file)
    return str(password_file)


class LoginThrottle:
    """Failed logins per username in a sliding window (in memory: one API process)."""

    def __init__(self, max_failures: int, window_s: int) -> None:
        self.max, self.window = max_failures, window_s
        self._fails: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, username: str) -> bool:
        now = time.monotonic()
        with self._lock:
            fails = [t for t in self._fails.get(username, []) if now - t < self.window]
            self._fails[username] = fails
            return len(fails) >= self.max

    def failed(self, username: str) -> None:
        with self._lock:
            self._fails.setdefault(username, []).append(time.monotonic())

    def reset(self, username: str) -> None:
        with self._lock:
            self._fails.pop(username, None)


def login(engine: Engine, config: AuthSettings, throttle: LoginThrottle, username: str,
          password: str) -> tuple[str, Principal]:
    """Returns (session token for the cookie, principal)."""
    username = username.strip()[:100]
    if throttle.blocked(username):
        raise AuthError(429, "로그인 실패가 많아 잠시 막혔습니다. 몇 분 뒤 다시 시도해 주세요.")
    with session_scope(engine) as s:
        user = s.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        throttle.failed(username)
        raise AuthError(401, "아이디 또는 비밀번호가 올바르지 않습니다.")
    throttle.reset(username)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    now = utcnow()
    with session_scope(engine) as s:
        s.add(AuthSession(token_hash=_hash_token(token), user_id=user.id, csrf_token=csrf,
                          created_at=now, last_seen=now,
                          expires_at=now + timedelta(seconds=config.session_ttl_s)))
        # Housekeeping: expired sessions go.
        s.execute(delete(AuthSession).where(AuthSession.expires_at < now))
    return token, Principal(user.id, user.username, user.display_name, user.role, user.department, csrf)


def authenticate(engine: Engine, config: AuthSettings, token: str | None) -> Principal:
    if not token or len(token) > 200:
        raise AuthError(401, "로그인이 필요합니다.")
    now = utcnow()
    with session_scope(engine) as s:
        row = s.get(AuthSession, _hash_token(token))
        if row is None:
            raise AuthError(401, "로그인이 필요합니다.")
        expired = _aware(row.expires_at) < now or (now - _aware(row.last_seen)).total_seconds() > config.idle_timeout_s
        if expired:
            s.delete(row)
        else:
            user = s.get(User, row.user_id)
            if user is None or not user.active:
                s.delete(row)
                expired = True
            elif (now - _aware(row.last_seen)).total_seconds() > 30:  # not a write per request
                row.last_seen = now
    if expired:
        raise AuthError(401, "로그인 시간이 지났습니다. 다시 로그인해 주세요.")
    return Principal(user.id, user.username, user.display_name, user.role, user.department, row.csrf_token)


def logout(engine: Engine, token: str | None) -> None:
    if token:
        with session_scope(engine) as s:
            s.execute(delete(AuthSession).where(AuthSession.token_hash == _hash_token(token)))


def check_csrf(principal: Principal, header: str | None) -> None:
    if not header or not secrets.compare_digest(header, principal.csrf_token):
        raise AuthError(403, "보안 토큰(CSRF)이 맞지 않습니다. 화면을 새로 고쳐 주세요.")
