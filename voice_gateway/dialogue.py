"""The dialogue, over HTTP: each recognised utterance (or keypad choice) goes to Rasa through
the same REST channel as every other channel, with ``input_channel`` "voice", so a call's
transcript lives in the tracker store beside the chats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from minwon.clients.rasa import RasaClient
from voice_gateway import prompts


class DialogueUnavailable(RuntimeError):
    """Rasa did not answer in time (down, restarting, overloaded)."""


@dataclass
class BotTurn:
    """A reply as the caller will hear it."""

    speech: str
    # The chat text, for the call transcript.
    text: str
    # Keypad menu: digit → (title, Rasa payload).
    options: dict[str, tuple[str, str]] = field(default_factory=dict)
    callback_offer: bool = False
    callback_info: dict[str, Any] = field(default_factory=dict)
    entry_id: str | None = None
    # The conversation was ended for abuse (issue 14): the call says the notice and hangs up.
    ended: bool = False


def render(messages: list[dict[str, Any]]) -> BotTurn:
    """Rasa's REST replies → one spoken turn. Answers use the entry's spoken answer; a
    clarification becomes a numbered keypad menu; a callback offer is flagged for the call
    to run its own consent dialogue (with the caller's number read back)."""
    spoken: list[str] = []
    texts: list[str] = []
    options: dict[str, tuple[str, str]] = {}
    callback_offer = False
    info: dict[str, Any] = {}
    entry_id = None
    ended = False
    pending_text: str | None = None
    for m in messages:
        custom = m.get("custom") if isinstance(m.get("custom"), dict) else None
        if custom and custom.get("minwon") == "answer":
            entry_id = custom.get("entry_id")
            if custom.get("spoken") and pending_text is not None:
                spoken[-1] = str(custom["spoken"])  # the ear's version replaces the screen's
            continue
        if custom and custom.get("minwon") == "callback_offer":
            callback_offer, info = True, custom
            continue
        if custom and custom.get("minwon") == "conversation_ended":
            ended = True
            continue
        text = m.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        pending_text = text
        texts.append(text)
        buttons = [b for b in m.get("buttons") or [] if isinstance(b, dict)]
        if any(str(b.get("payload", "")).startswith("/request_callback") for b in buttons):
            callback_offer = True
            spoken.append("")  # the call says its own callback wording
            continue
        spoken.append(text)
        choices = [b for b in buttons if str(b.get("payload", "")).startswith("/choose_entry")]
        if choices:
            for i, b in enumerate(choices[:8], start=1):
                options[str(i)] = (str(b.get("title", "")), str(b["payload"]))
            none = next((b for b in buttons if b.get("payload") == "/none_of_these"), None)
            if none:
                options["*"] = (str(none.get("title", "")), "/none_of_these")
            spoken[-1] = prompts.menu(spoken[-1] if len(choices) > 1 else prompts.MENU_ONE,
                                      [t for t, _ in options.values()][: len(choices)], bool(none))
    speech = " ".join(s for s in spoken if s).strip()
    return BotTurn(speech=speech, text=" ".join(texts), options=options, callback_offer=callback_offer,
                   callback_info=info, entry_id=entry_id, ended=ended)


class RasaDialogue:
    """Over the one Rasa client (``minwon/clients/rasa.py``), with the caller's channel."""

    def __init__(self, rasa_url: str, timeout_s: float = 6.0) -> None:
        self.client = RasaClient(rasa_url, timeout=httpx.Timeout(timeout_s, connect=1.0))

    async def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> BotTurn:
        try:
            data = await self.client.send_message(sender, message, "voice", metadata)
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code >= 500:
                raise DialogueUnavailable(f"Rasa answered {exc.response.status_code}") from exc
            # Our REST channel refuses bad input with a Korean reason (e.g. too long).
            return BotTurn(speech=prompts.NOT_UNDERSTOOD, text="")
        except httpx.HTTPError as exc:
            raise DialogueUnavailable(str(exc) or type(exc).__name__) from exc
        except ValueError as exc:
            raise DialogueUnavailable("Rasa sent something that is not JSON") from exc
        return render(data)

    async def close(self) -> None:
        await self.client.close()
