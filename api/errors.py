"""Every domain error to HTTP, in one place: ``{"detail": message}`` with the status the
error carries (``{"detail": {"message", "errors"}}`` when it lists rejected fields or rows,
as the admin page reads them), plus a stable ``code``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from minwon.errors import MinwonError
from minwon.knowledge.editing import EditError
from minwon.knowledge.intents import ExampleError

# The knowledge package's errors predate minwon.errors; they carry the same status and message.
DOMAIN_ERRORS: tuple[type[Exception], ...] = (MinwonError, EditError, ExampleError)


def body(exc: Any) -> dict[str, Any]:
    errors = getattr(exc, "errors", None)
    detail: Any = {"message": exc.message, "errors": errors} if errors else exc.message
    return {"detail": detail, "code": getattr(exc, "code", "bad_request")}


async def domain_error(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(body(exc), status_code=getattr(exc, "status", 400))


def install(app: FastAPI) -> None:
    for cls in DOMAIN_ERRORS:
        app.add_exception_handler(cls, domain_error)
