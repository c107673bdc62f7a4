"""One error shape for the whole API: {"error": {"code", "message", "details"?}}.

Domain errors carry a stable `.code`; they map to 4xx here so endpoints need no try/except.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from shopkeeper.kernel.errors import DomainError

NOT_FOUND_SUFFIX = "_not_found"


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        err["details"] = details
    return {"error": err}


def status_for(code: str) -> int:
    if code.endswith(NOT_FOUND_SUFFIX):
        return 404
    if code == "unauthorized":
        return 401
    if code == "invalid_signature":
        return 400
    if code == "forbidden":
        return 403
    if code in ("out_of_stock", "illegal_transition", "conflict", "version_conflict"):
        return 409
    return 422


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail
        if isinstance(detail, dict) and "code" in detail:
            body = error_body(str(detail["code"]), str(detail.get("message", "")), detail.get("details"))
        else:
            body = error_body(f"http_{exc.status_code}", str(detail))
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", ())[1:]), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        return JSONResponse(error_body("invalid_request", "the request is not valid", details), 422)

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, str(exc), exc.details), status_for(exc.code))
