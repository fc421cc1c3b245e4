"""One family for the errors a request can end in, whatever the channel.

Services raise them with a message for the person at the other end (polite Korean) and a
status hint; the web layer maps every one to HTTP in one place (``api/errors.py``), the Rasa
side and the voice gateway turn them into their own replies. Routes no longer catch, convert
and re-raise by hand (that block was repeated 9 times in the console routes, 7 in admin).
"""

from __future__ import annotations

from typing import ClassVar


class MinwonError(Exception):
    """``status`` is the HTTP status the error maps to; ``code`` a stable machine name;
    ``errors`` optional details (one line per rejected field or row)."""

    status: int = 400
    code: ClassVar[str] = "bad_request"

    def __init__(self, status: int | None = None, message: str = "", errors: list[str] | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status
        self.message = message
        self.errors = errors or []


class NotFound(MinwonError):
    status = 404
    code = "not_found"


class Conflict(MinwonError):
    status = 409
    code = "conflict"


class Invalid(MinwonError):
    status = 422
    code = "invalid"


class Unavailable(MinwonError):
    """A part we depend on (Rasa, the Kakao callback) did not answer."""

    status = 502
    code = "unavailable"

