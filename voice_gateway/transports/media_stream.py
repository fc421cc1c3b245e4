"""WebSocket media stream, in the shape telephony media-stream APIs use (Twilio Media
Streams and the gateways modelled on it), so a PBX or cloud gateway can connect:

caller → gateway   {"event": "start", "start": {"callSid", "streamSid", "from",
                      "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000}}}
                   {"event": "media", "media": {"payload": "<base64>"}}
                   {"event": "dtmf", "dtmf": {"digit": "0"}}
                   {"event": "mark", "mark": {"name": "..."}}
                   {"event": "stop"}
gateway → caller   {"event": "media", "streamSid", "media": {"payload": "<base64>"}}
                   {"event": "clear", "streamSid"}        (barge-in: drop buffered audio)
                   {"event": "mark", "streamSid", "mark": {"name": "..."}}
                   {"event": "transcript" | "timing" | "callback" | "error" | "hangup", ...}

Encodings: audio/x-mulaw and audio/x-alaw at 8 kHz, audio/l16 (little-endian) at 16 kHz
(the browser's call button). Bad frames get an ``error`` event and the call goes on; a
format the gateway cannot speak ends the stream with close code 1003."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import time
from typing import Any

import numpy as np
from fastapi import WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketState

from voice_gateway.audio import MAX_FRAME_BYTES, AudioFormatError, Codec
from voice_gateway.call import Call
from voice_gateway.engine import VoiceEngine

log = logging.getLogger("minwon.voice")
MAX_MESSAGE_BYTES = 64_000
# Bad frames in a row before the gateway gives up on a stream.
MAX_BAD_FRAMES = 50
# Audio may run ahead of the wall clock by this much (network bursts); beyond it a client
# is sending faster than anyone speaks, and the excess is dropped rather than queued for
# recognition ahead of every other caller.
MAX_AHEAD_S = 3.0


class WebSocketIO:
    def __init__(self, ws: WebSocket, codec: Codec, stream_sid: str) -> None:
        self.ws, self.codec, self.sid = ws, codec, stream_sid
        self.closed = False

    async def _send(self, msg: dict[str, Any]) -> None:
        if self.closed or self.ws.application_state != WebSocketState.CONNECTED:
            return
        try:
            await self.ws.send_text(json.dumps(msg, ensure_ascii=False))
        except (RuntimeError, WebSocketDisconnect, OSError):
            self.closed = True

    async def send_audio(self, pcm: np.ndarray) -> None:
        payload = base64.b64encode(self.codec.encode(pcm)).decode("ascii")
        await self._send({"event": "media", "streamSid": self.sid, "media": {"payload": payload}})

    async def clear(self) -> None:
        await self._send({"event": "clear", "streamSid": self.sid})

    async def hangup(self) -> None:
        await self._send({"event": "hangup", "streamSid": self.sid})
        if not self.closed:
            self.closed = True
            try:
                await self.ws.close(1000)
            except (RuntimeError, OSError):
                pass

    async def notify(self, event: dict[str, Any]) -> None:
        await self._send({**event, "streamSid": self.sid})


async def _error(ws: WebSocket, code: str, message: str) -> None:
    try:
        await ws.send_text(json.dumps({"event": "error", "code": code, "message": message}, ensure_ascii=False))
    except (RuntimeError, WebSocketDisconnect, OSError):
        pass


def _parse(raw: str | bytes | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        msg = json.loads(raw)
    except ValueError:
        return None
    return msg if isinstance(msg, dict) else None


async def serve(ws: WebSocket, engine: VoiceEngine) -> None:
    await ws.accept()
    call: Call | None = None
    bad = 0
    try:
        while True:
            message = await ws.receive()
            if message.get("type") == "websocket.disconnect":
                break
            raw = message.get("text") if message.get("text") is not None else message.get("bytes")
            if raw is not None and len(raw) > MAX_MESSAGE_BYTES:
                await _error(ws, "too_large", f"메시지가 너무 큽니다 (최대 {MAX_MESSAGE_BYTES} 바이트).")
                bad += 1
                continue
            msg = _parse(raw)
            if msg is None:
                bad += 1
                await _error(ws, "bad_json", "JSON 형식의 이벤트만 받을 수 있습니다.")
                if bad > MAX_BAD_FRAMES:
                    break
                continue
            event = msg.get("event")
            if event == "connected":
                continue
            if event == "start":
                if call is not None:
                    await _error(ws, "already_started", "이미 시작된 통화입니다.")
                    continue
                start = msg.get("start") if isinstance(msg.get("start"), dict) else {}
                fmt = start.get("mediaFormat") if isinstance(start.get("mediaFormat"), dict) else {}
                try:
                    codec = Codec(str(fmt.get("encoding", "audio/x-mulaw")).lower(), int(fmt.get("sampleRate", 8000)))
                    if int(fmt.get("channels", 1)) != 1:
                        raise AudioFormatError("모노(1채널) 음성만 받을 수 있습니다.")
                except (AudioFormatError, TypeError, ValueError) as exc:
                    await _error(ws, "unsupported_format", str(exc))
                    await ws.close(1003)
                    return
                sid = str(start.get("streamSid") or start.get("callSid") or "")[:64] or "stream"
                io = WebSocketIO(ws, codec, sid)
                call = Call(engine, io, caller=str(start.get("from") or "")[:64] or None,
                            transport=str(start.get("transport") or "websocket")[:20])
                await call.start()
                started, audio_s, warned_fast = time.monotonic(), 0.0, False
                await io.notify({"event": "started", "callId": call.call_id})
                continue
            if call is None:
                await _error(ws, "not_started", "먼저 start 이벤트를 보내 주세요.")
                bad += 1
                continue
            if event == "media":
                media = msg.get("media") if isinstance(msg.get("media"), dict) else {}
                try:
                    payload = base64.b64decode(str(media.get("payload", "")), validate=True)
                except (binascii.Error, ValueError):
                    bad += 1
                    await _error(ws, "bad_payload", "음성 데이터(base64)를 읽을 수 없습니다.")
                    if bad > MAX_BAD_FRAMES:
                        break
                    continue
                if len(payload) > MAX_FRAME_BYTES:
                    await _error(ws, "too_large", "음성 프레임이 너무 큽니다.")
                    continue
                bad = 0
                pcm = call_codec(call).decode(payload)
                audio_s += len(pcm) / 16_000
                if audio_s > time.monotonic() - started + MAX_AHEAD_S:
                    audio_s -= len(pcm) / 16_000
                    if not warned_fast:
                        warned_fast = True
                        await _error(ws, "too_fast", "음성이 실제 시간보다 빠르게 들어와 일부를 버렸습니다.")
                    continue
                call.feed_audio(pcm)
            elif event == "dtmf":
                dtmf = msg.get("dtmf") if isinstance(msg.get("dtmf"), dict) else {}
                call.feed_dtmf(str(dtmf.get("digit", "")))
            elif event == "mark":
                continue
            elif event == "stop":
                break
            else:
                await _error(ws, "unknown_event", f"알 수 없는 이벤트입니다: {str(event)[:40]}")
            if call.ended.is_set():
                break
    except WebSocketDisconnect:
        pass
    finally:
        if call is not None and not call.ended.is_set():
            await call.caller_hung_up()
        if ws.application_state == WebSocketState.CONNECTED:
            try:
                await ws.close(1000)
            except (RuntimeError, OSError):
                pass


def call_codec(call: Call) -> Codec:
    return call.io.codec  # type: ignore[attr-defined]
