"""Bad input gets a clear 4xx, never a 500, on both databases, and every domain error
reaches HTTP through the one handler (api/errors.py) with its status and Korean message."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.api_server import api_on
from tests.stack import SERVICE_HEADERS


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_fuzz_found_server_errors_are_client_errors(kind: str, tmp_path: Path) -> None:
    with api_on(kind, tmp_path) as stack:
        api = stack.api_url
        # Found by schemathesis: an ``after`` past the database's integer range was a 500.
        huge = httpx.get(f"{api}/api/conversations/00/events", params={"after": 194128078963373259962380301130268672})
        assert huge.status_code == 422, huge.text
        assert huge.json()["detail"] == "요청 형식이 올바르지 않습니다"
        edge = httpx.get(f"{api}/api/conversations/00/events", params={"after": 2**31 - 1})
        assert edge.status_code == 200 and edge.json()["events"] == []
        # A ticket naming an entry that does not exist, and NUL characters (PostgreSQL refuses
        # them in text columns): stored, NUL dropped, not a 500.
        body = {"conversation_id": "0\x00x", "channel": "rest", "reason": "requested_human", "entry_id": "0",
                "category": "\x00", "transcript": [{"sender": "user", "text": "a\x00b", "intent": "\x00"}]}
        r = httpx.post(f"{api}/api/handoff/tickets", json=body, headers=SERVICE_HEADERS, timeout=30)
        assert r.status_code == 201, r.text
        assert r.json()["conversation_id"] == "0x" and r.json()["transcript"][0]["text"] == "ab"
        # A NUL in the conversation id of the path is refused with the usual 422.
        assert httpx.get(f"{api}/api/conversations/a%00b/state").status_code == 422


def test_domain_errors_map_to_http_in_one_place(tmp_path: Path) -> None:
    with api_on("sqlite", tmp_path) as stack, stack.console() as admin:
        missing = admin.post("/api/console/tickets/nope/claim")  # QueueError(404)
        assert missing.status_code == 404
        assert missing.json() == {"detail": "상담 접수 건을 찾을 수 없습니다: nope", "code": "queue"}
        weak = admin.post("/api/console/users", json={"username": "kim", "password": "x", "role": "counsellor",
                                                      "display_name": "김"})  # AuthError(422): weak password
        assert weak.status_code == 422 and weak.json()["code"] == "auth", weak.text
        # The knowledge package's EditError keeps its list of rejected fields.
        bad = admin.post("/api/admin/entries", json={"id": "T-1", "fields": {"question": ""}})
        assert bad.status_code == 422, bad.text
        assert bad.json()["detail"]["errors"] and bad.json()["code"] == "bad_request", bad.text
        anonymous = httpx.get(f"{stack.api_url}/api/console/me")  # AuthError(401) from the dependency
        assert anonymous.status_code == 401 and anonymous.json()["detail"] == "로그인이 필요합니다."
