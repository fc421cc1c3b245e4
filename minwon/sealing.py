"""Sealing personal data: the original text of a message that contained personal data is
kept only encrypted, so the counsellor's view can show it while every other stored copy
(tracker store, tickets, logs, spool files) holds the masked text.

Fernet (the ``cryptography`` package: AES-128-CBC + HMAC-SHA256, timestamped tokens) is
used because both venvs already carry it and it is the library's recommended recipe.
Keys come from ``MINWON_DATA_KEY`` (comma-separated, newest first, for rotation) or the
file ``MINWON_DATA_KEY_FILE`` (default ``var/data.key``, created by ``python -m
minwon.sealing init``). Without a key nothing is sealed and the counsellor sees the
masked text: safe, just less useful.
"""

from __future__ import annotations

import logging
import os
import sys
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

log = logging.getLogger(__name__)

DEFAULT_KEY_FILE = Path(__file__).resolve().parent.parent / "var" / "data.key"


def _key_file() -> Path:
    return Path(os.environ.get("MINWON_DATA_KEY_FILE") or DEFAULT_KEY_FILE)


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet | None:
    raw = os.environ.get("MINWON_DATA_KEY", "").strip()
    if not raw:
        path = _key_file()
        if path.exists():
            raw = path.read_text(encoding="ascii").strip()
    keys = [k.strip() for k in raw.replace("\n", ",").split(",") if k.strip()]
    if not keys:
        log.warning("no data key (MINWON_DATA_KEY or %s): personal data is masked, not sealed", _key_file())
        return None
    return MultiFernet([Fernet(k.encode("ascii")) for k in keys])


def enabled() -> bool:
    return _fernet() is not None


def seal(text: str) -> str | None:
    f = _fernet()
    return f.encrypt(text.encode("utf-8")).decode("ascii") if f else None


def unseal(token: str | None) -> str | None:
    """The original text, or None when there is none or the key cannot open it."""
    f = _fernet()
    if not token or f is None:
        return None
    try:
        return f.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        log.warning("a sealed value could not be opened with the configured keys")
        return None


def init_key_file(path: Path | None = None) -> Path:
    """Create the key file once (0600); never overwrite an existing key."""
    path = path or _key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(Fernet.generate_key().decode("ascii") + "\n")
    return path


if __name__ == "__main__":
    if sys.argv[1:] == ["init"]:
        print(init_key_file())
    else:
        sys.exit("usage: python -m minwon.sealing init")
