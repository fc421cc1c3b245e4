"""The console's claim rule is the queue's (minwon/handoff/service.py over
queue.check_owner): the counsellor who claimed a ticket acts on it, a supervisor may act
for them, another counsellor may not (replies included, which used to restate the rule
without the supervisor override)."""

from __future__ import annotations

from pathlib import Path

from tests.api_server import api_on, new_ticket


def test_reply_follows_the_claim_rule_with_the_supervisor_override(tmp_path: Path) -> None:
    with api_on("sqlite", tmp_path) as stack:
        ticket_id = new_ticket(stack, 1).json()["id"]
        stack.add_user("kim", "counsellor")
        stack.add_user("lee", "counsellor")
        stack.add_user("boss", "supervisor")
        with stack.console("kim", "counsellor-pw-1") as kim, stack.console("lee", "counsellor-pw-1") as lee, \
                stack.console("boss", "counsellor-pw-1") as boss:
            early = kim.post(f"/api/console/tickets/{ticket_id}/reply", json={"text": "안녕하세요"})
            assert early.status_code == 409 and "대기" in early.json()["detail"], early.text  # not claimed yet
            assert kim.post(f"/api/console/tickets/{ticket_id}/claim").status_code == 200
            mine = kim.post(f"/api/console/tickets/{ticket_id}/reply", json={"text": "담당 김입니다."})
            assert mine.status_code == 200, mine.text
            other = lee.post(f"/api/console/tickets/{ticket_id}/reply", json={"text": "제가 할게요"})
            assert other.status_code == 403 and "kim" in other.json()["detail"], other.text
            assert lee.post(f"/api/console/tickets/{ticket_id}/resolve", json={"disposition": "answered"}
                            ).status_code == 403
            covering = boss.post(f"/api/console/tickets/{ticket_id}/reply", json={"text": "팀장이 이어서 안내합니다."})
            assert covering.status_code == 200, covering.text
            transcript = kim.get(f"/api/console/tickets/{ticket_id}").json()["transcript"]
            assert [t["author"] for t in transcript if t["sender"] == "agent"] == ["kim", "boss"]
            blank = kim.post(f"/api/console/tickets/{ticket_id}/reply", json={"text": "  "})
            assert blank.status_code == 422 and blank.json()["detail"] == "보낼 내용을 입력해 주세요."
