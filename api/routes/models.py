"""Retraining from the admin page: a background training with progress, the evaluation
report (regression set, optional cross-validation, confusion plot), a regression gate,
publishing into the running Rasa server, and rollback to any earlier published model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel

from api.auth_deps import require
from api.state import AppState
from minwon import nlu_models as model_ops
from minwon.auth.accounts import Principal

router = APIRouter(prefix="/api/admin", tags=["intent models"])
KM = ("knowledge_manager",)


def _state(request: Request) -> AppState:
    return request.app.state.minwon


class TrainIn(BaseModel):
    cross_validation: bool = False


@router.post("/training", status_code=202)
def start_training(body: TrainIn, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    job = _state(request).training
    if not job.start(body.cross_validation):
        raise HTTPException(409, detail="이미 학습이 진행 중입니다. 끝난 뒤 다시 시도해 주세요.")
    return _job_state(job.state)


def _job_state(state: dict[str, Any]) -> dict[str, Any]:
    return {**state, "result": model_ops.public(state.get("result"))}


@router.get("/training")
def training_status(request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    return _job_state(_state(request).training.state)


@router.get("/models")
def list_models(request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    reg = model_ops.Registry.load(_state(request).training.models_dir)
    return {"active": reg.data.get("active"), "models": [model_ops.public(m) for m in reversed(reg.data["models"])]}


@router.get("/models/{name}/confusion.png")
def confusion_plot(name: str, request: Request, p: Principal = Depends(require(*KM))) -> FileResponse:
    reg = model_ops.Registry.load(_state(request).training.models_dir)
    try:
        plot = Path(reg.get(name)["eval"]["plot"])
    except KeyError as exc:  # an unknown model is a ModelNotFound (404) already
        raise HTTPException(404, detail="평가 그림이 없습니다.") from exc
    if not plot.exists():
        raise HTTPException(404, detail="평가 그림이 없습니다.")
    return FileResponse(plot, media_type="image/png")


async def _publish(request: Request, name: str, rollback: bool) -> dict[str, Any]:
    """Unknown model 404, refused by the gate 409, Rasa failing 502: MinwonErrors, mapped
    by api/errors.py."""
    state = _state(request)
    entry = await run_in_threadpool(model_ops.publish, state.training.models_dir, name, state.settings.rasa_url,
                                    state.settings.handoff.rasa_token, rollback)
    return model_ops.public(entry) or {}


@router.post("/models/{name}/publish")
async def publish(name: str, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    return await _publish(request, name, rollback=False)


@router.post("/models/{name}/rollback")
async def rollback(name: str, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    return await _publish(request, name, rollback=True)
