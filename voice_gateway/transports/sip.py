"""SIP + RTP for a PBX trunk. SIP (transactions, dialogs, INVITE/ACK/BYE/CANCEL, retransmission
timers) is Sippy B2BUA's RFC 3261 stack (PyPI ``sippy``), which runs its own event loop in a
thread; each answered call gets an RTP socket on our asyncio loop carrying G.711 μ-law or
A-law (20 ms packets) and RFC 4733 telephone events for the keypad.

The thread boundary is crossed in two places only: a new call is handed to the asyncio loop
with ``run_coroutine_threadsafe``, and our hang-up goes back with ``ED2.callFromThread``.

Not here: re-INVITEs that move the media (the PBX keeps its media address for the call),
SRTP, a jitter buffer (packets are played in arrival order; a LAN trunk reorders rarely)."""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import struct
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from voice_gateway.audio import Codec
from voice_gateway.call import Call
from voice_gateway.engine import VoiceEngine

log = logging.getLogger("minwon.voice.sip")

# Static RTP payload types of G.711; our preference order when the caller offers both.
G711 = {0: "audio/x-mulaw", 8: "audio/x-alaw"}
G711_NAMES = {0: "PCMU", 8: "PCMA"}
DTMF_EVENTS = "0123456789*#"


class _SippyLog:
    """Sippy writes its SIP trace through ``write``; send it to our logging instead of a file."""

    def write(self, *args: Any, **kwargs: Any) -> None:
        log.debug(" ".join(str(a) for a in args))


@dataclass
class MediaOffer:
    address: str
    port: int
    payload_type: int
    dtmf_type: int | None
    ptime: int = 20


def choose_media(sdp_body: Any) -> MediaOffer | None:
    """The first audio stream offering G.711 (μ-law preferred), with its telephone-event type."""
    if sdp_body is None:
        return None
    sdp_body.parse()
    for sect in sdp_body.content.sections:
        kind = getattr(sect.m_header, "stype", None) or str(sect.m_header.type)
        if kind != "audio" or sect.m_header.port == 0:
            continue
        formats = [int(f) for f in sect.m_header.formats if str(f).isdigit()]
        rtpmap = {}
        for a in sect.a_headers:
            if a.name == "rtpmap" and a.value:
                pt, _, enc = a.value.partition(" ")
                if pt.isdigit():
                    rtpmap[int(pt)] = enc.lower()
        dtmf = next((pt for pt, enc in rtpmap.items() if enc.startswith("telephone-event/8000")), None)
        for pt in (0, 8):
            if pt in formats:
                ptime = next((int(a.value) for a in sect.a_headers if a.name == "ptime" and str(a.value).isdigit()), 20)
                addr = sect.c_header.addr if sect.c_header else sdp_body.content.c_header.addr
                return MediaOffer(addr, int(sect.m_header.port), pt, dtmf if dtmf in formats else None, ptime)
    return None


def answer_sdp(address: str, port: int, offer: MediaOffer) -> str:
    sid = random.randint(1, 2**31)
    fmts = f"{offer.payload_type}" + (f" {offer.dtmf_type}" if offer.dtmf_type is not None else "")
    lines = ["v=0", f"o=minwon {sid} {sid} IN IP4 {address}", "s=minwon", f"c=IN IP4 {address}", "t=0 0",
             f"m=audio {port} RTP/AVP {fmts}", f"a=rtpmap:{offer.payload_type} {G711_NAMES[offer.payload_type]}/8000"]
    if offer.dtmf_type is not None:
        lines += [f"a=rtpmap:{offer.dtmf_type} telephone-event/8000", f"a=fmtp:{offer.dtmf_type} 0-15"]
    lines += ["a=ptime:20", "a=sendrecv"]
    return "\r\n".join(lines) + "\r\n"


class RtpSession(asyncio.DatagramProtocol):
    """One call's RTP: G.711 both ways, RFC 4733 digits in, symmetric (answers to where the
    caller's packets really come from, which survives NAT)."""

    def __init__(self, offer: MediaOffer) -> None:
        self.offer = offer
        self.codec = Codec(G711[offer.payload_type], 8000)
        self.remote: tuple[str, int] = (offer.address, offer.port)
        self.transport: asyncio.DatagramTransport | None = None
        self.call: Call | None = None
        self._seq = random.randint(0, 0xFFFF)
        self._ts = random.randint(0, 0xFFFFFFFF)
        self._ssrc = random.randint(1, 0xFFFFFFFF)
        self._marker = True
        self._last_dtmf_ts: int | None = None
        self._dtmf_ended = False
        self.packets_in = self.packets_bad = 0
        self.last_audio = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if len(data) < 12 or data[0] >> 6 != 2:
            self.packets_bad += 1
            return
        self.remote = addr[:2]
        self.packets_in += 1
        cc, ext, pt = data[0] & 0x0F, data[0] & 0x10, data[1] & 0x7F
        ts = struct.unpack_from("!I", data, 4)[0]
        offset = 12 + 4 * cc
        if ext and len(data) >= offset + 4:
            offset += 4 + 4 * struct.unpack_from("!H", data, offset + 2)[0]
        payload = data[offset:]
        if data[0] & 0x20 and payload:  # padding
            payload = payload[: -payload[-1]] if payload[-1] <= len(payload) else b""
        if self.call is None or not payload:
            return
        if pt == self.offer.payload_type:
            self.last_audio = asyncio.get_running_loop().time()
            self.call.feed_audio(self.codec.decode(payload))
        elif pt == self.offer.dtmf_type and len(payload) >= 4:
            # RFC 4733: one key press spans packets with the same timestamp, the last ones
            # (sent three times) flagged E; act once per press, on its first packet.
            end = bool(payload[1] & 0x80)
            if (ts != self._last_dtmf_ts or (self._dtmf_ended and not end)) and payload[0] < len(DTMF_EVENTS):
                self.call.feed_dtmf(DTMF_EVENTS[payload[0]])
            self._last_dtmf_ts, self._dtmf_ended = ts, end

    async def watch(self, call: Call, timeout_s: float = 30.0) -> None:
        """Phones with silence suppression stop sending RTP while the caller is quiet: fill
        the gap with silence so the end of speech is still found. A line with no packets at
        all for ``timeout_s`` is dead: hang up."""
        loop = asyncio.get_running_loop()
        silence = np.zeros(320, np.float32)
        self.last_audio = loop.time()
        next_tick = loop.time()
        while not call.ended.is_set():
            next_tick += 0.02
            await asyncio.sleep(max(0.0, next_tick - loop.time()))
            quiet = loop.time() - self.last_audio
            if quiet > timeout_s:
                log.info("call %s: no RTP for %.0f s, hanging up", call.call_id, quiet)
                await call.caller_hung_up()
                return
            if quiet > 0.06:
                call.feed_audio(silence)

    def send(self, payload: bytes) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        header = struct.pack("!BBHII", 0x80, (0x80 if self._marker else 0) | self.offer.payload_type,
                             self._seq, self._ts, self._ssrc)
        self._marker = False
        self._seq = (self._seq + 1) & 0xFFFF
        self._ts = (self._ts + len(payload)) & 0xFFFFFFFF
        self.transport.sendto(header + payload, self.remote)

    def talkspurt(self) -> None:
        self._marker = True

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class SipCallIO:
    def __init__(self, gateway: SipGateway, leg: SipLeg) -> None:
        self.gateway, self.leg = gateway, leg

    async def send_audio(self, pcm: np.ndarray) -> None:
        self.leg.rtp.send(self.leg.rtp.codec.encode(pcm))

    async def clear(self) -> None:
        # RTP has nothing buffered on our side beyond the send lead; the next spurt is marked.
        self.leg.rtp.talkspurt()

    async def hangup(self) -> None:
        self.gateway.hang_up(self.leg)

    async def notify(self, event: dict[str, Any]) -> None:
        return None


class SipLeg:
    """The SIP side of one call (lives in Sippy's thread) and its RTP (on the asyncio loop)."""

    def __init__(self, gateway: SipGateway) -> None:
        from sippy.UA import UA

        self.gateway = gateway
        self.ua = UA(gateway.sippy_config, event_cb=self.on_event, disc_cbs=(self.on_disconnect,),
                     fail_cbs=(self.on_disconnect,), dead_cbs=(self.on_dead,))
        self.rtp: RtpSession = None  # type: ignore[assignment]
        self.call: Call | None = None
        self.caller = ""
        self.closed = False

    def on_event(self, event: Any, ua: Any) -> None:
        from sippy.CCEvents import CCEventConnect, CCEventDisconnect, CCEventFail, CCEventTry
        from sippy.MsgBody import MsgBody

        if isinstance(event, CCEventTry):
            _cid, cli, _cld, body, _auth, _name = event.getData()
            self.caller = str(cli or "")
            offer = choose_media(body)
            if offer is None:
                log.info("INVITE refused: no G.711 audio offered")
                ua.recvEvent(CCEventFail((488, "Not Acceptable Here")))
                return
            if len(self.gateway.engine.calls) >= self.gateway.max_calls:
                ua.recvEvent(CCEventFail((486, "Busy Here")))
                return
            try:
                port = self.gateway.open_rtp(self, offer)
            except Exception as exc:
                log.error("no RTP port for a call: %s", exc)
                ua.recvEvent(CCEventFail((503, "Service Unavailable")))
                return
            body = MsgBody(answer_sdp(self.gateway.media_address(offer.address), port, offer))
            ua.recvEvent(CCEventConnect((200, "OK", body)))
            self.gateway.begin_call(self)
        elif isinstance(event, CCEventDisconnect | CCEventFail):
            self.on_disconnect()

    def on_disconnect(self, *args: Any) -> None:
        if not self.closed:
            self.closed = True
            self.gateway.caller_gone(self)

    def on_dead(self, *args: Any) -> None:
        self.on_disconnect()


class SipGateway:
    def __init__(self, engine: VoiceEngine, loop: asyncio.AbstractEventLoop) -> None:
        self.engine, self.loop = engine, loop
        v = engine.voice
        self.host, self.port = v.sip_host, v.sip_port
        self.port_range = (v.rtp_port_min, v.rtp_port_max)
        self.max_calls = 64
        self.sippy_config: dict[str, Any] = {}
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self.legs: set[SipLeg] = set()
        self._watchers: set[asyncio.Future[None]] = set()

    def media_address(self, remote: str) -> str:
        if self.engine.voice.sip_media_address:
            return self.engine.voice.sip_media_address
        if self.host not in ("", "0.0.0.0"):
            return self.host  # RTP sockets are bound there too: say so, not another interface
        from sippy.misc import local4remote

        return str(local4remote(remote))

    # --- Sippy's thread -----------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sippy", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the SIP stack did not start")

    def _run(self) -> None:
        from sippy.Core.EventDispatcher import ED2
        from sippy.SipConf import SipConf
        from sippy.SipTransactionManager import SipTransactionManager

        SipConf.my_uaname = "minwon voicebot"
        self.sippy_config.update({"_sip_address": self.host, "_sip_port": self.port, "_sip_logger": _SippyLog()})
        self.sippy_config["_sip_tm"] = SipTransactionManager(self.sippy_config, self._request)
        self._ready.set()
        ED2.loop()

    def _request(self, req: Any, sip_t: Any) -> Any:
        method = req.getMethod()
        if req.getHFBody("to").getTag() is not None:
            return (req.genResponse(481, "Call Leg/Transaction Does Not Exist"), None, None)
        if method == "INVITE":
            leg = SipLeg(self)
            self.legs.add(leg)
            return leg.ua.recvRequest(req, sip_t)
        if method in ("OPTIONS", "NOTIFY"):
            return (req.genResponse(200, "OK"), None, None)
        return (req.genResponse(501, "Not Implemented"), None, None)

    def open_rtp(self, leg: SipLeg, offer: MediaOffer) -> int:
        """Bind an RTP port from the range and attach it to our loop (called in Sippy's thread)."""
        lo, hi = self.port_range
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for _ in range(200):
            port = random.randrange(lo, hi + 1) & ~1  # RTP on even ports
            try:
                sock.bind((self.host, port))
                break
            except OSError:
                continue
        else:
            sock.close()
            raise OSError("RTP port range exhausted")
        sock.setblocking(False)

        async def attach() -> RtpSession:
            _t, proto = await self.loop.create_datagram_endpoint(lambda: RtpSession(offer), sock=sock)
            return proto

        leg.rtp = asyncio.run_coroutine_threadsafe(attach(), self.loop).result(timeout=5)
        return port

    def begin_call(self, leg: SipLeg) -> None:
        async def run() -> None:
            call = Call(self.engine, SipCallIO(self, leg), caller=leg.caller, transport="sip")
            leg.call = leg.rtp.call = call
            if leg.closed:  # the caller hung up while we were answering
                leg.rtp.close()
                return
            await call.start()
            watcher = asyncio.ensure_future(leg.rtp.watch(call, self.engine.voice.rtp_timeout_s))
            self._watchers.add(watcher)  # held so it is not collected mid-call
            watcher.add_done_callback(self._watchers.discard)

        asyncio.run_coroutine_threadsafe(run(), self.loop)

    def caller_gone(self, leg: SipLeg) -> None:
        async def end() -> None:
            if leg.call is not None and not leg.call.ended.is_set():
                await leg.call.caller_hung_up()
            if leg.rtp is not None:
                log.info("call %s: RTP packets in %d, not RTP %d", leg.call and leg.call.call_id,
                         leg.rtp.packets_in, leg.rtp.packets_bad)
                leg.rtp.close()

        self.legs.discard(leg)
        asyncio.run_coroutine_threadsafe(end(), self.loop)

    def hang_up(self, leg: SipLeg) -> None:
        """Our BYE (called on the asyncio loop)."""
        from sippy.CCEvents import CCEventDisconnect
        from sippy.Core.EventDispatcher import ED2

        leg.closed = True
        self.legs.discard(leg)
        if leg.rtp is not None:
            leg.rtp.close()
        ED2.callFromThread(leg.ua.recvEvent, CCEventDisconnect())

    def stop(self) -> None:
        from sippy.Core.EventDispatcher import ED2

        if self._thread and self._thread.is_alive():
            ED2.callFromThread(ED2.breakLoop)
            self._thread.join(timeout=5)
