"""Fixtures: a trained model and the whole running bot, shared by the end-to-end tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_kakao import FakeKakao
from tests.stack import Stack

# Tests in this process seal personal data with a throwaway key.
os.environ.setdefault("MINWON_DATA_KEY", "aGVsbG8taGVsbG8taGVsbG8taGVsbG8taGVsbG8tMTI=")

# CTranslate2 picks its matrix library and instruction set from the CPU: Intel MKL and
# AVX-512 on an Intel machine, oneDNN and AVX2 on the AMD ones the voice tests were written
# on. Whisper's words for espeak's barely-Korean speech depend on those last bits (CI heard
# "아이스풷" where these machines hear "아이스팩"), so the tests, and every gateway they
# start, run on the same pair everywhere. Production keeps CTranslate2's own choice.
os.environ.setdefault("CT2_USE_MKL", "0")
os.environ.setdefault("ONEDNN_MAX_CPU_ISA", "AVX2")
if "avx2" in Path("/proc/cpuinfo").read_text(errors="replace").split():
    os.environ.setdefault("CT2_FORCE_CPU_ISA", "AVX2")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("stack")
    kakao = FakeKakao()
    s = Stack(workdir=workdir, env={
        # Counsellor replies to KakaoTalk users go to the fake Kakao server.
        "MINWON_KAKAO__OUTBOUND": "http",
        "MINWON_KAKAO__OUTBOUND_URL": f"{kakao.url}/outbound",
        "MINWON_KAKAO__CALLBACK_URL_PREFIXES": '["https://", "http://127.0.0.1"]',
    })
    s.kakao = kakao  # type: ignore[attr-defined]
    model_dir = Path(os.environ.get("MINWON_TEST_MODELS_DIR", workdir / "models"))
    try:
        model = next(model_dir.glob("*.tar.gz"), None) or s.train(model_dir)
        s.start_api()
        s.start_actions()
        s.start_rasa(model)
        s.model = model  # type: ignore[attr-defined]
        yield s
    finally:
        s.stop_all()
        kakao.close()
        artefacts = Path(os.environ.get("MINWON_TEST_ARTEFACTS", Path(__file__).resolve().parent.parent / "artifacts"))
        artefacts.mkdir(parents=True, exist_ok=True)
        for log in workdir.glob("*.log"):
            (artefacts / f"stack-{log.name}").write_bytes(log.read_bytes()[-2_000_000:])


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (the voice callers) run on asyncio, as the gateway does."""
    return "asyncio"
