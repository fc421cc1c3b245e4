"""One phone call, whatever carries it (SIP/RTP, the WebSocket media stream, the browser).

States: greeting → listening ⇄ thinking → speaking → listening …, with barge-in (the
caller's speech stops playback), reprompts on silence, the callback consent dialogue
(keypad 0 or "상담원 연결"), and goodbye. The transport feeds 16 kHz audio and keypad
digits in and gets paced 20 ms frames out through ``CallIO``.

Recognition starts speculatively after a short pause (``early_silence_ms``) and is
thrown away if the caller goes on, so most of Whisper's time hides inside the silence
that has to pass anyway before the turn is over."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from minwon import sealing
from minwon.privacy import mask_personal_data
from voice_gateway import prompts
from voice_gateway.dialogue import BotTurn, DialogueUnavailable
from voice_gateway.engine import VoiceEngine
from voice_gateway.recording import Recorder
from voice_gateway.stt import Transcript, looks_complete
from voice_gateway.tts import sentences
from voice_gateway.vad import EndpointConfig, Endpointer, VadEvent

log = logging.getLogger("minwon.voice")

FRAME = 320  # 20 ms at 16 kHz
# How far ahead of real time audio is sent: enough to ride over scheduling jitter, small
# enough that a barge-in stops what the caller hears quickly.
LEAD_S = 0.06
_PHONE = re.compile(r"^0\d{8,10}$")


class CallIO(Protocol):
    async def send_audio(self, pcm: np.ndarray) -> None: ...  # one 20 ms frame, 16 kHz float32
    async def clear(self) -> None: ...  # drop audio the far end still has buffered
    async def hangup(self) -> None: ...
    async def notify(self, event: dict[str, Any]) -> None: ...  # captions/timings (may ignore)


def format_phone(digits: str) -> str:
    d = re.sub(r"\D", "", digits)
    if d.startswith("02") and len(d) in (9, 10):
        return f"02-{d[2:-4]}-{d[-4:]}"
    if len(d) in (10, 11):
        return f"{d[:3]}-{d[3:-4]}-{d[-4:]}"
    return d


def caller_digits(caller: str | None) -> str | None:
    """'sip:01012345678@pbx', '+82 10-1234-5678' → '01012345678' (None if not a Korean number)."""
    if not caller:
        return None
    user = caller.split("@")[0].split(":")[-1]
    d = re.sub(r"\D", "", user)
    if d.startswith("82") and len(d) >= 10:
        d = "0" + d[2:]
    return d if _PHONE.match(d) else None


@dataclass
class TurnTiming:
    eos: float  # monotonic time the caller stopped speaking (last voiced window)
    heard_at: float = 0.0  # the endpointer decided the turn was over
    stt_done: float = 0.0
    stt_s: float = 0.0
    speculative: bool = False
    dialogue_s: float = 0.0
    tts_first_s: float = 0.0
    first_audio: float = 0.0

    def __post_init__(self) -> None:
        # A key press is "heard" the moment it arrives.
        self.heard_at = self.heard_at or self.eos
        self.stt_done = self.stt_done or self.heard_at

    def as_dict(self) -> dict[str, Any]:
        ms = lambda s: round(s * 1000, 1)  # noqa: E731
        return {
            "vad_tail_ms": ms(self.heard_at - self.eos),
            "stt_wait_ms": ms(max(0.0, self.stt_done - self.heard_at)),
            "stt_ms": ms(self.stt_s),
            "speculative": self.speculative,
            "dialogue_ms": ms(self.dialogue_s),
            "tts_first_ms": ms(self.tts_first_s),
            "first_audio_ms": ms(self.first_audio - self.eos) if self.first_audio else None,
        }


@dataclass
class Call:
    engine: VoiceEngine
    io: CallIO
    caller: str | None = None
    transport: str = "websocket"
    call_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])

    def __post_init__(self) -> None:
        v = self.engine.voice
        self.sender = f"voice-{self.call_id}"
        self.state = "greeting"
        self.endpointer = Endpointer(EndpointConfig(
            threshold=v.vad_threshold, speech_start_ms=v.speech_start_ms,
            early_silence_ms=v.early_silence_ms, end_silence_ms=v.end_silence_ms,
            input_gain=v.vad_input_gain))
        self.transcript: list[dict[str, Any]] = []
        self.options: dict[str, tuple[str, str]] = {}
        self.callback_phone: str | None = caller_digits(self.caller)
        self.callback_info: dict[str, Any] = {}
        self.typed = ""
        self.reprompts = 0
        self.ended = asyncio.Event()
        self.recorder = Recorder.open(self.call_id) if v.recording else None
        self._player: asyncio.Task[None] | None = None
        self._turn: asyncio.Task[None] | None = None
        self._timer: asyncio.Task[None] | None = None
        self._spec: tuple[int, asyncio.Future[Transcript]] | None = None
        self._hangup_after_speech = False
        self._started = time.monotonic()
        self._samples_in = 0
        self.barge_ins: list[float] = []  # seconds from speech onset to playback stopped

    # --- transport side -------------------------------------------------------------
    async def start(self) -> None:
        self.engine.calls[self.call_id] = self
        self.engine.stats.add_call(self.call_id, self.transport)
        log.info("call %s started (%s)", self.call_id, self.transport)
        self._deadline = asyncio.get_running_loop().call_later(self.engine.voice.max_call_s, self._time_up)
        await self._say(prompts.GREETING, state_after="listening")

    def feed_audio(self, pcm: np.ndarray) -> None:
        if self.state == "ended" or not len(pcm):
            return
        self._samples_in += len(pcm)
        if self.recorder:
            self.recorder.caller(pcm)
        for event in self.endpointer.feed(pcm):
            self._on_vad(event)
        if self.endpointer.in_speech and self.endpointer.utterance_ms > self.engine.voice.max_utterance_s * 1000:
            # A monologue: answer what has been said so far instead of buffering forever.
            self._finish_utterance()

    def feed_dtmf(self, digit: str) -> None:
        digit = str(digit)[:1]
        if self.state == "ended" or digit not in "0123456789*#":
            return
        self._cancel_timer()
        self._record("user", f"[키패드 {digit}]")
        if self.state == "number":
            self._number_key(digit)
            return
        if self.state == "consent":
            self._stop_playback()
            choice = {"1": True, "2": False, "3": None}.get(digit, "again")
            if choice == "again":
                return
            self._spawn(self._consent(choice), turn=True)
            return
        if digit == "0":
            self._stop_playback()
            self._spawn(self._dialogue_turn("/request_human", TurnTiming(time.monotonic())), turn=True)
        elif digit in self.options:
            self._stop_playback()
            _title, payload = self.options[digit]
            self._spawn(self._dialogue_turn(payload, TurnTiming(time.monotonic())), turn=True)

    async def caller_hung_up(self) -> None:
        await self._end("caller hung up", hang_up=False)

    # --- listening --------------------------------------------------------------------
    def _on_vad(self, event: VadEvent) -> None:
        if event is VadEvent.SPEECH_START:
            self._cancel_timer()
            if self._player and not self._player.done() and self.state in ("speaking", "greeting", "consent"):
                onset = self.engine.voice.speech_start_ms / 1000
                self._stop_playback()
                self.barge_ins.append(onset)
                if self.state != "consent":
                    self.state = "listening"
        elif event is VadEvent.PAUSE:
            audio = self.endpointer.voiced_audio()
            spec = (len(audio), asyncio.ensure_future(self.engine.recognize(audio)))
            self._spec = spec
            spec[1].add_done_callback(lambda f, spec=spec: self._speculation_done(spec, f))  # type: ignore[misc]
        elif event is VadEvent.RESUME:
            self._spec = None
        elif event is VadEvent.SPEECH_END:
            self._finish_utterance()

    def _speculation_done(self, spec: tuple[int, asyncio.Future[Transcript]], fut: asyncio.Future[Transcript]) -> None:
        """Semantic endpointing: when the speculative transcript already ends like a Korean
        sentence ("…나왔는데요", "…필요해요?") and the caller is still silent, the turn is
        over now instead of after the full silence tail."""
        if fut.cancelled() or fut.exception() is not None or self._spec is not spec:
            return
        if not self.endpointer.paused or self.state == "ended":
            return
        result = fut.result()
        # Only words can end a turn early. A speculative "no speech" (Whisper unsure of
        # half a sentence) ended the utterance and lost 5 of 100 real questions whole;
        # the final pass, after the full silence tail, decides what was said.
        if not result.no_speech and looks_complete(result.text):
            self._finish_utterance()

    def _finish_utterance(self) -> None:
        if not self.endpointer.in_speech and not self.endpointer.utterance_ms:
            return
        now = time.monotonic()
        audio = self.endpointer.voiced_audio()
        tail = (len(self.endpointer.utterance()) - len(audio)) / 16_000
        spec = self._spec if self._spec and self._spec[0] == len(audio) else None
        self._spec = None
        self.endpointer.reset()
        timing = TurnTiming(eos=now - max(0.0, tail), heard_at=now, speculative=spec is not None)
        self._spawn(self._heard(audio, spec[1] if spec else None, timing), turn=True)

    async def _heard(self, audio: np.ndarray, spec: asyncio.Future[Transcript] | None, t: TurnTiming) -> None:
        result = await spec if spec is not None else await self.engine.recognize(audio)
        t.stt_done, t.stt_s = time.monotonic(), result.took_s
        if result.no_speech:
            if result.seconds >= 0.6 and self.state in ("listening", "speaking"):
                await self._say(prompts.NOT_HEARD, state_after="listening")
            else:
                self._arm_timer()
            return
        text, fixes = await self.engine.correct(result.text)
        if fixes:
            log.info("call %s: DB names put back: %s", self.call_id,
                     ", ".join(f"{f.heard}→{f.word}" for f in fixes))
        self._record("user", text)
        heard = {"heard": result.text} if fixes else {}
        await self.io.notify({"event": "transcript", "role": "caller", "text": text, **heard})
        if self.state == "consent":
            answer = prompts.yes_no(text)
            if answer is None and any(w in text for w in ("다른 번호", "번호 바꿔", "다른번호")):
                await self._consent(None)
            elif answer is not None:
                await self._consent(answer)
            else:
                await self._say(prompts.callback_offer(self._phone_text()), state_after="consent")
            return
        if self.state == "number":
            # Numbers are typed (spoken digits are too easily misheard for a callback).
            await self._say(prompts.ASK_NUMBER, state_after="number")
            return
        if self.options:
            digit = prompts.spoken_choice(text)
            if digit in self.options:
                await self._dialogue_turn(self.options[digit][1], t)
                return
        await self._dialogue_turn(text, t)

    # --- the dialogue -------------------------------------------------------------------
    async def _dialogue_turn(self, message: str, t: TurnTiming) -> None:
        self.state = "thinking"
        t0 = time.monotonic()
        try:
            turn = await self.engine.dialogue.send(
                self.sender, message,
                {"call_id": self.call_id, "transport": self.transport,
                 "caller": mask_personal_data(format_phone(self.callback_phone)) if self.callback_phone else ""})
        except DialogueUnavailable as exc:
            log.warning("call %s: dialogue unavailable: %s", self.call_id, exc)
            turn = BotTurn(speech=prompts.DIALOGUE_DOWN, text=prompts.DIALOGUE_DOWN)
            if message == "/request_human":
                turn = BotTurn(speech="", text="", callback_offer=True)
        t.dialogue_s = time.monotonic() - t0
        self.options = turn.options
        if turn.ended:
            # Ended for abuse or harassment (the civil-complaints decree allows it): the
            # notice is said, then the call is hung up; no menu, no callback.
            await self._say(turn.speech or prompts.NOT_UNDERSTOOD, state_after="ended", timing=t,
                            record=turn.text or turn.speech)
            return
        if turn.callback_offer:
            self.callback_info = turn.callback_info
            urgent = str(turn.callback_info.get("duty_officer_phone") or "") if turn.callback_info.get("urgent") else ""
            if self.callback_phone:
                await self._say(prompts.callback_offer(self._phone_text(), urgent), state_after="consent", timing=t)
            else:
                self.typed = ""
                await self._say(prompts.callback_offer(None, urgent), state_after="number", timing=t)
            return
        await self._say(turn.speech or prompts.NOT_UNDERSTOOD, state_after="listening", timing=t,
                        record=turn.text or turn.speech)

    # --- callback consent -------------------------------------------------------------
    def _phone_text(self) -> str:
        return format_phone(self.callback_phone or "")

    def _number_key(self, digit: str) -> None:
        if digit == "*":
            self.typed = ""
            return
        if digit != "#":
            self.typed = (self.typed + digit)[:15]
            return
        self._stop_playback()
        if _PHONE.match(self.typed):
            self.callback_phone, self.typed = self.typed, ""
            self._spawn(self._say(prompts.confirm_number(self._phone_text()), state_after="consent"))
        else:
            self.typed = ""
            self._spawn(self._say(prompts.BAD_NUMBER, state_after="number"))

    async def _consent(self, agreed: bool | None) -> None:
        if agreed is None:  # another number
            self.typed = ""
            await self._say(prompts.ASK_NUMBER, state_after="number")
            return
        if not agreed:
            self.state = "listening"
            await self._say(prompts.CALLBACK_DECLINED, state_after="listening")
            return
        phone = self._phone_text()
        sealed = sealing.seal(phone)
        try:
            ticket = await self.engine.create_ticket({
                "conversation_id": self.sender, "channel": "voice",
                "reason": self.callback_info.get("reason") or "requested_human", "kind": "callback",
                "transcript": self.transcript[-200:], "callback_phone_sealed": sealed, "callback_consent": True,
                "preferred_time": "근무 시간 중 아무 때나", "dedup_key": f"{self.sender}:callback",
            })
        except Exception as exc:  # the API is down: say so, never pretend
            log.error("call %s: callback ticket failed: %s", self.call_id, exc)
            await self._say(prompts.CALLBACK_FAILED, state_after="ended")
            return
        self._record("bot", f"[콜백 예약 {ticket.get('id', '')}]")
        await self.io.notify({"event": "callback", "ticket_id": ticket.get("id")})
        await self._say(prompts.callback_done(phone, ""), state_after="ended")

    # --- speaking ---------------------------------------------------------------------
    async def _say(self, text: str, state_after: str, timing: TurnTiming | None = None,
                   record: str | None = None) -> None:
        """Speak ``text`` sentence by sentence; the state during playback follows what is
        expected next (consent/number keep listening for keys and yes/no)."""
        self._stop_playback()
        self.state = state_after if state_after in ("consent", "number") else (
            "greeting" if self.state == "greeting" else "speaking")
        if state_after == "ended":
            self._hangup_after_speech = True
        self._record("bot", record or text)
        await self.io.notify({"event": "transcript", "role": "bot", "text": record or text})
        self._player = asyncio.ensure_future(self._play(self._speech(text, timing), state_after, timing))

    async def _speech(self, text: str, timing: TurnTiming | None) -> AsyncIterator[np.ndarray]:
        parts = sentences(text) or [text]
        t0 = time.monotonic()
        nxt = asyncio.ensure_future(self.engine.synthesize(parts[0]))
        try:
            for i in range(len(parts)):
                pcm = await nxt
                if timing is not None and i == 0:
                    timing.tts_first_s = time.monotonic() - t0
                if i + 1 < len(parts):
                    nxt = asyncio.ensure_future(self.engine.synthesize(parts[i + 1]))
                yield pcm
        finally:
            nxt.cancel()

    async def _play(self, chunks: AsyncIterator[np.ndarray], state_after: str, timing: TurnTiming | None) -> None:
        loop = asyncio.get_running_loop()
        start, sent = loop.time(), 0.0
        try:
            async for pcm in chunks:
                for i in range(0, len(pcm), FRAME):
                    frame = pcm[i : i + FRAME]
                    if len(frame) < FRAME:
                        frame = np.pad(frame, (0, FRAME - len(frame)))
                    ahead = start + sent - loop.time()
                    if ahead > LEAD_S:
                        await asyncio.sleep(ahead - LEAD_S)
                    elif ahead < -0.1:  # synthesis fell behind: carry on from now
                        start = loop.time() - sent
                    await self.io.send_audio(frame)
                    if self.recorder:
                        self.recorder.bot(frame)
                    if timing is not None and not timing.first_audio:
                        timing.first_audio = time.monotonic()
                        self._report(timing)
                    sent += FRAME / 16_000
            # Let the far end finish playing what was sent ahead.
            await asyncio.sleep(max(0.0, start + sent - loop.time()))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("call %s: playback failed", self.call_id)
        if self._hangup_after_speech or state_after == "ended":
            await self._end("goodbye", hang_up=True)
            return
        if self.state in ("speaking", "greeting"):
            self.state = state_after
        self._arm_timer()

    def _report(self, t: TurnTiming) -> None:
        d = t.as_dict()
        self.engine.stats.add_turn(d)
        log.info("call %s turn: %s", self.call_id, d)
        self._spawn(self.io.notify({"event": "timing", **d}))

    def _stop_playback(self) -> None:
        if self._player and not self._player.done():
            self._player.cancel()
            self._spawn(self.io.clear())
        self._player = None

    # --- silence and the end ----------------------------------------------------------
    def _arm_timer(self) -> None:
        self._cancel_timer()
        if self.state in ("listening", "consent", "number"):
            self._timer = asyncio.ensure_future(self._silence())

    def _cancel_timer(self) -> None:
        if self._timer and not self._timer.done():
            self._timer.cancel()
        self._timer = None

    async def _silence(self) -> None:
        await asyncio.sleep(self.engine.voice.reprompt_after_s)
        if self.endpointer.in_speech or (self._turn and not self._turn.done()):
            return
        self.reprompts += 1
        if self.reprompts > self.engine.voice.max_reprompts:
            await self._say(prompts.GOODBYE_SILENCE, state_after="ended")
        elif self.state == "consent":
            await self._say(prompts.callback_offer(self._phone_text()), state_after="consent")
        elif self.state == "number":
            await self._say(prompts.ASK_NUMBER, state_after="number")
        else:
            await self._say(prompts.REPROMPT, state_after="listening")

    def _time_up(self) -> None:
        self._spawn(self._say(prompts.CALL_TIME_UP, state_after="ended"))

    def _spawn(self, coro: Any, turn: bool = False) -> None:
        task = asyncio.ensure_future(coro)
        if turn:
            self._turn = task
        task.add_done_callback(_log_failure)

    def _record(self, sender: str, text: str) -> None:
        if text:
            self.transcript.append({"sender": sender, "text": text[:4000], "channel": "voice"})

    async def _end(self, why: str, hang_up: bool) -> None:
        if self.state == "ended" and self.ended.is_set():
            return
        self.state = "ended"
        self._cancel_timer()
        if getattr(self, "_deadline", None):
            self._deadline.cancel()
        if self._player and not self._player.done() and asyncio.current_task() is not self._player:
            self._player.cancel()
        if self._turn and not self._turn.done() and asyncio.current_task() is not self._turn:
            self._turn.cancel()
        if self._spec:
            self._spec[1].cancel()
        if self.recorder:
            self.recorder.close()
        if hang_up:
            with contextlib.suppress(Exception):
                await self.io.hangup()
        self.engine.calls.pop(self.call_id, None)
        self.engine.stats.calls_ended += 1
        self.ended.set()
        log.info("call %s ended: %s after %.1f s", self.call_id, why, time.monotonic() - self._started)


def _log_failure(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("voice task failed", exc_info=task.exception())
