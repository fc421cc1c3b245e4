"""Starting the real parts (our API, the rasa-sdk action server, the Rasa server) as
separate processes on free ports, the way `make run` does, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = ROOT / ".venv" / "rasa" / "bin" / "rasa"
SVC_PY = ROOT / ".venv" / "svc" / "bin" / "python"
RASA_TOKEN = "test-rasa-token"
ADMIN_PASSWORD = "admin-test-pw-1"
KAKAO_TOKEN = "test-skill-token"
# The API's internal routes (api/service_auth.py) want it; every process of a stack has it.
SERVICE_TOKEN = "test-service-token"
SERVICE_HEADERS = {"X-Minwon-Service-Token": SERVICE_TOKEN}
KAKAO_BOT_ID = "5f9a0c1d2e3b4a0012345678"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, seconds: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
            raise RuntimeError(f"process for {url} exited with {proc.returncode}:\n{tail}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not come up in {seconds}s")


class _ConsoleClient(httpx.Client):
    """Already open (it logged in) when a ``with`` block takes it."""

    def __enter__(self) -> _ConsoleClient:
        return self


@dataclass
class Stack:
    workdir: Path
    env: dict[str, str]
    api_port: int = field(default_factory=free_port)
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    data_key: str = field(default_factory=lambda: Fernet.generate_key().decode("ascii"))

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def full_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.env)
        env.update(
            {
                "PYTHONPATH": str(ROOT),
                "RASA_TELEMETRY_ENABLED": "false",
                "TF_CPP_MIN_LOG_LEVEL": "2",
                "MINWON_API_PORT": str(self.api_port),
                "MINWON_API_URL": self.api_url,
                "MINWON_ACTION_PORT": str(self.action_port),
                "MINWON_RASA_TRACKER_DB": str(self.workdir / "rasa_tracker.sqlite3"),
                "MINWON_DATABASE_URL": self.env.get(
                    "MINWON_DATABASE_URL", f"sqlite:///{self.workdir / 'minwon.sqlite3'}"
                ),
                "MINWON_SPOOL_DIR": str(self.workdir / "spool"),
                "MINWON_MODELS_DIR": str(self.workdir / "models"),
                "MINWON_RASA_URL": self.rasa_url,
                "MINWON_DATA_KEY": self.data_key,
                "MINWON_RASA_TOKEN": RASA_TOKEN,
                "MINWON_HANDOFF__RASA_TOKEN": RASA_TOKEN,
                "MINWON_AUTH__ADMIN_PASSWORD": ADMIN_PASSWORD,
                "KAKAO_SKILL_TOKEN": KAKAO_TOKEN,
                "MINWON_SERVICE_TOKEN": SERVICE_TOKEN,
                "KAKAO_BOT_ID": KAKAO_BOT_ID,
                # Counsellors "at work" unless a test says otherwise.
                "MINWON_HANDOFF__HOURS__FORCE": "open",
            }
        )
        env.update(self.env)
        return env

    def log(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    def _spawn(self, name: str, cmd: list[str]) -> subprocess.Popen:
        handle = self.log(name).open("ab")
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.full_env(), stdout=handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def train(self, model_dir: Path) -> Path:
        env = self.full_env()
        env["MINWON_MODELS_DIR"] = str(model_dir)
        with self.log("train").open("ab") as handle:
            subprocess.run(["bash", "scripts/train.sh"], cwd=ROOT, env=env, stdout=handle,
                           stderr=subprocess.STDOUT, check=True, timeout=1200)
        return next(model_dir.glob("*.tar.gz"))

    def start_api(self) -> None:
        proc = self._spawn("api", [str(SVC_PY), "-m", "api"])
        wait_http(f"{self.api_url}/health", 240, proc, self.log("api"))

    def start_actions(self) -> None:
        proc = self._spawn("actions", [str(RASA_BIN), "run", "actions", "--actions", "actions",
                                       "--port", str(self.action_port)])
        wait_http(f"{self.action_url}/health", 180, proc, self.log("actions"))

    def start_rasa(self, model: Path, endpoints: str = "endpoints.yml") -> None:
        proc = self._spawn("rasa", [str(RASA_BIN), "run", "--enable-api", "--port", str(self.rasa_port),
                                    "--auth-token", RASA_TOKEN, "--model", str(model), "--endpoints", endpoints,
                                    "--credentials", "credentials.yml"])
        wait_http(f"{self.rasa_url}/", 300, proc, self.log("rasa"))

    def start_voice(self, port: int, sip_port: int, name: str = "voice", **env: str) -> subprocess.Popen:
        """A voice gateway (WebSocket on ``port``, SIP on ``sip_port``/udp); ``env`` overrides
        its settings only (a second gateway can run beside the first with other timings)."""
        saved = dict(self.env)
        self.env.update({"MINWON_VOICE__PORT": str(port), "MINWON_VOICE__SIP_PORT": str(sip_port),
                         "MINWON_VOICE__HOST": "127.0.0.1", "MINWON_VOICE__SIP_HOST": "127.0.0.1", **env})
        try:
            proc = self._spawn(name, [str(SVC_PY), "-m", "voice_gateway"])
        finally:
            self.env = saved
        wait_http(f"http://127.0.0.1:{port}/health", 180, proc, self.log(name))
        return proc

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)

    # -- talking to the bot ------------------------------------------------------------
    def say(self, sender: str, message: str, timeout: float = 30, channel: str | None = None) -> list[dict]:
        body = {"sender": sender, "message": message} | ({"input_channel": channel} if channel else {})
        r = httpx.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=timeout)
        r.raise_for_status()
        return r.json()

    # -- the counsellors' console ---------------------------------------------------------
    def console(self, username: str = "admin", password: str = ADMIN_PASSWORD) -> httpx.Client:
        """A logged-in console client; unsafe requests carry the CSRF token."""
        client = _ConsoleClient(base_url=self.api_url, timeout=30)
        r = client.post("/api/console/login", json={"username": username, "password": password})
        r.raise_for_status()
        client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        return client

    def add_user(self, username: str, role: str = "counsellor", password: str = "counsellor-pw-1") -> str:
        with self.console() as admin:
            r = admin.post("/api/console/users", json={"username": username, "password": password, "role": role,
                                                       "display_name": username})
            assert r.status_code in (201, 409), r.text
        return password

    @staticmethod
    def texts(replies: list[dict]) -> str:
        return "\n".join(r.get("text", "") for r in replies)


@contextmanager
def running_bot(model: Path | None = None) -> Iterator[Stack]:
    """The API, action server and Rasa in a throwaway directory (training a model if none is
    given), for the benchmarks; everything is stopped on the way out."""
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(workdir=Path(tmp), env={})
        try:
            trained = model or stack.train(Path(tmp) / "models")
            stack.start_api()
            stack.start_actions()
            stack.start_rasa(trained)
            yield stack
        finally:
            stack.stop_all()
