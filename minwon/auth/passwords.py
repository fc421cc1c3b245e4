"""Password hashing with Argon2id (argon2-cffi: the OWASP-recommended algorithm, a
maintained binding of the reference implementation, parameters upgradable in place)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Lighter than argon2-cffi's default (64 MiB) so 20 counsellors logging in at once do not
# take the API's memory; still well above OWASP's minimum (19 MiB, t=2).
_hasher = PasswordHasher(time_cost=2, memory_cost=32 * 1024, parallelism=1)

MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def check_strength(password: str) -> str | None:
    """A Korean message when the password is too weak, else None."""
    if len(password) < MIN_LENGTH:
        return f"비밀번호는 {MIN_LENGTH}자 이상이어야 합니다."
    if password.isdigit() or password.isalpha():
        return "비밀번호에는 글자와 숫자를 섞어 주세요."
    return None
