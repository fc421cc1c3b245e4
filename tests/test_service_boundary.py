"""Public and internal APIs apart: every route that is not meant for citizens, counsellors
or knowledge managers refuses a caller without the service token, and `make run` listens on
loopback only (Rasa and the action server included)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.api_server import api_on
from tests.stack import ADMIN_PASSWORD, KAKAO_TOKEN, RASA_TOKEN, ROOT, SERVICE_HEADERS, SERVICE_TOKEN, free_port

# Reachable without the service token. Everything else must refuse an anonymous caller
# (console and admin routes do so with their login, internal ones with the token).
PUBLIC = {
    ("GET", "/health"),
    ("GET", "/api/knowledge/vocabulary"),
    ("POST", "/api/console/login"),  # refuses a wrong password, takes a right one
    ("POST", "/api/conversations/{conversation_id}/cancel"),
    ("POST", "/api/conversations/{conversation_id}/feedback"),
    ("GET", "/api/conversations/{conversation_id}/state"),
    ("GET", "/api/conversations/{conversation_id}/events"),
}
# What our own processes call (actions/api_client.py, bot/channels/handoff_relay.py,
# voice_gateway/engine.py): all of it internal.
CALLED_BY_OUR_PROCESSES = {
    ("POST", "/api/knowledge/ask"),
    ("GET", "/api/knowledge/entries/{entry_id}"),
    ("POST", "/api/knowledge/vocabulary/correct"),
    ("POST", "/api/knowledge/refresh"),
    ("GET", "/api/handoff/availability"),
    ("POST", "/api/handoff/tickets"),
    ("GET", "/api/handoff/tickets/{ticket_id}"),
    ("POST", "/api/conversations/{conversation_id}/messages"),
}


def _routes(api_url: str) -> list[tuple[str, str, list[str]]]:
    spec = httpx.get(f"{api_url}/openapi.json", timeout=10).json()
    return [
        (method.upper(), path, op.get("tags", []))
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
    ]


def _call(api_url: str, method: str, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    url = api_url + re.sub(r"\{[^}]+\}", "x1", path)
    return httpx.request(method, url, headers=headers, json={} if method in ("POST", "PUT", "PATCH") else None,
                         timeout=30)


def test_every_internal_route_refuses_an_anonymous_caller(tmp_path: Path) -> None:
    with api_on("sqlite", tmp_path) as stack:
        routes = _routes(stack.api_url)
        seen = {(m, p) for m, p, _ in routes}
        assert seen >= CALLED_BY_OUR_PROCESSES, CALLED_BY_OUR_PROCESSES - seen
        internal = {(m, p) for m, p, tags in routes if any("internal" in t for t in tags)}
        # (Routes other issues add for our processes, e.g. /api/abuse/…, are internal too.)
        assert internal >= CALLED_BY_OUR_PROCESSES, CALLED_BY_OUR_PROCESSES - internal
        for method, path in sorted(seen - PUBLIC):
            # No token at all: 401 (or 403 for the login-protected and Kakao routes).
            r = _call(stack.api_url, method, path)
            assert r.status_code in (401, 403), (method, path, r.status_code, r.text[:200])
        for method, path in sorted(internal):
            wrong = _call(stack.api_url, method, path, {"X-Minwon-Service-Token": SERVICE_TOKEN + "x"})
            assert wrong.status_code == 403, (method, path, "a wrong token", wrong.status_code)
            ok = _call(stack.api_url, method, path, SERVICE_HEADERS)
            # Past the boundary: the route itself answers (404 for the made-up id, 422 for the
            # empty body, 200 for the rest), never the token check.
            assert ok.status_code in (200, 404, 422), (method, path, ok.status_code, ok.text[:200])
        # The anonymous refusal says what it is, in Korean.
        r = _call(stack.api_url, "POST", "/api/handoff/tickets")
        assert r.status_code == 401 and "내부" in r.json()["detail"]


def _listening(pgid: int) -> list[tuple[str, int]]:
    """(address, port) of every TCP socket listening in the process group, from ss."""
    out = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        pids = [int(p) for p in re.findall(r"pid=(\d+)", line)]
        mine = False
        for pid in pids:
            try:
                mine = mine or os.getpgid(pid) == pgid
            except ProcessLookupError:
                pass
        if mine:
            local = line.split()[3]
            addr, port = local.rsplit(":", 1)
            found.append((addr.strip("[]"), int(port)))
    return found


@pytest.mark.slow
def test_make_run_listens_on_loopback_only(stack, tmp_path: Path) -> None:
    """scripts/run.sh (what `make run` starts) with the trained model, voice gateway off
    (its media stream and SIP are for the PBX, docs/operations.md): every socket the API,
    the action server and Rasa listen on is on loopback."""
    ports = {"api": free_port(), "rasa": free_port(), "actions": free_port()}
    env = dict(os.environ)
    env.update({
        "MINWON_SKIP_BOOTSTRAP": "1", "MINWON_RUN_VOICE": "0", "MINWON_LOG_DIR": str(tmp_path / "log"),
        "MINWON_MODELS_DIR": str(stack.model.parent),
        "MINWON_API_PORT": str(ports["api"]), "MINWON_RASA_PORT": str(ports["rasa"]),
        "MINWON_ACTION_PORT": str(ports["actions"]),
        "MINWON_API_URL": f"http://127.0.0.1:{ports['api']}", "MINWON_RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
        "MINWON_DATABASE_URL": f"sqlite:///{tmp_path / 'minwon.sqlite3'}",
        "MINWON_RASA_TRACKER_DB": str(tmp_path / "tracker.sqlite3"), "MINWON_SPOOL_DIR": str(tmp_path / "spool"),
        "MINWON_DATA_KEY_FILE": str(tmp_path / "data.key"), "MINWON_RASA_TOKEN": RASA_TOKEN,
        "MINWON_SERVICE_TOKEN": SERVICE_TOKEN, "KAKAO_SKILL_TOKEN": KAKAO_TOKEN,
        "MINWON_AUTH__ADMIN_PASSWORD": ADMIN_PASSWORD, "MINWON_RETRIEVAL__DENSE_BACKEND": "none",
    })
    for name in ("MINWON_RASA_BIND", "MINWON_ACTION_BIND", "SANIC_HOST"):  # the defaults are under test
        env.pop(name, None)
    out = tmp_path / "run.out"
    with out.open("wb") as handle:
        proc = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=handle,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        while "minwon is running" not in out.read_text(errors="replace"):
            assert proc.poll() is None, out.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "make run did not come up"
            time.sleep(1)
        sockets = _listening(proc.pid)
        assert {p for _, p in sockets} >= set(ports.values()), (sockets, ports)
        outside = [(a, p) for a, p in sockets if a not in ("127.0.0.1", "::1")]
        assert not outside, f"listening outside loopback: {outside} (ports {ports})"
        # And they do answer there.
        assert httpx.get(f"http://127.0.0.1:{ports['rasa']}/", timeout=10).status_code == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
