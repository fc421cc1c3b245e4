"""The KakaoTalk gateway as a unit (minwon/channels/kakao/gateway.py), with a fake Rasa and
an SQLite file: refusals before the body is read, what is owed (late replies, held
counsellor replies) going out first within Kakao's three outputs, Rasa down, retries of one
request getting the one reply."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from minwon.channels.kakao.gateway import KakaoGateway, down_text
from minwon.channels.kakao.memory import KakaoMemory
from minwon.channels.outbound import HeldSender
from minwon.db.session import make_engine, migrate
from minwon.settings import KakaoSettings

TOKEN, BOT = "skill-token", "bot-1"


class FakeRasa:
    def __init__(self, replies: list[dict[str, Any]] | None = None, fail: bool = False) -> None:
        self.replies, self.fail, self.calls = replies or [{"text": "여권은 민원실에서 발급합니다."}], fail, 0

    async def send_message(self, conversation_id: str, text: str, channel: str, metadata: Any = None,
                           timeout_s: float | None = None) -> list[dict[str, Any]]:
        self.calls += 1
        if self.fail:
            raise httpx.ConnectError("rasa is down")
        return self.replies


def _gateway(tmp_path: Path, rasa: FakeRasa, outbound: HeldSender | None = None) -> KakaoGateway:
    engine = make_engine(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    migrate(engine)
    return KakaoGateway(engine, rasa, KakaoSettings(), KakaoMemory(), outbound or HeldSender(), TOKEN, BOT,
                        "02-0000-0120")  # type: ignore[arg-type]


def _body(text: str, user: str = "u1", bot: str = BOT, **extra: Any) -> bytes:
    return json.dumps({"userRequest": {"utterance": text, "user": {"id": user}, **extra},
                       "bot": {"id": bot}}, ensure_ascii=False).encode()


def _texts(response: dict[str, Any]) -> list[str]:
    return [next(iter(o.values())).get("text") or next(iter(o.values())).get("description", "")
            for o in response["template"]["outputs"]]


def test_refusals_and_replies_that_need_no_dialogue(tmp_path: Path) -> None:
    rasa = FakeRasa()
    gw = _gateway(tmp_path, rasa)
    run = asyncio.run
    assert run(gw.handle("wrong", _body("여권")))[0] == 403  # the skill token
    assert run(gw.handle(TOKEN, _body("여권", bot="other-bot")))[0] == 403
    status, body = run(gw.handle(TOKEN, b"{not json"))
    assert status == 400 and body["error"] == "bad_request" and "JSON" in body["message"]
    status, body = run(gw.handle(TOKEN, _body("")))  # empty: asked to write, Rasa not bothered
    assert status == 200 and "글로 적어" in _texts(body)[0]
    assert rasa.calls == 0


def test_what_is_owed_goes_first_and_rasa_down_is_said_politely(tmp_path: Path) -> None:
    held = HeldSender()
    rasa = FakeRasa()
    gw = _gateway(tmp_path, rasa, held)
    asyncio.run(held.send("u1", "서류는 두 가지입니다.", "김상담"))
    gw.memory.late["u1"] = [{"version": "2.0", "template": {"outputs": [{"simpleText": {"text": "늦은 답변"}}]}}]
    status, body = asyncio.run(gw.handle(TOKEN, _body("여권 재발급")))
    assert status == 200 and len(body["template"]["outputs"]) <= 3
    joined = "\n".join(_texts(body))
    assert joined.index("늦은 답변") < joined.index("상담원 김상담: 서류는 두 가지입니다.") < joined.index("여권은")
    assert "u1" not in gw.memory.late and held.take("u1") == []  # delivered once
    (tmp_path / "down").mkdir()
    down = _gateway(tmp_path / "down", FakeRasa(fail=True))
    status, body = asyncio.run(down.handle(TOKEN, _body("여권")))
    assert status == 200 and _texts(body) == [down_text("02-0000-0120")]


def test_a_retried_request_gets_the_first_reply(tmp_path: Path) -> None:
    rasa = FakeRasa()
    gw = _gateway(tmp_path, rasa)
    first = asyncio.run(gw.handle(TOKEN, _body("여권")))
    again = asyncio.run(gw.handle(TOKEN, _body("여권")))
    assert first == again and rasa.calls == 1
