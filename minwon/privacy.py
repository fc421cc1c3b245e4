"""Masking of personal data (resident registration, phone, card and account numbers,
car plates) in logs, analytics and every stored copy outside the counsellor's view."""

from __future__ import annotations

import re

# 900101-1234567, 9001011234567 (the 7th digit is the sex/century digit 1–8).
_RRN = re.compile(r"(?<!\d)(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))\s?-?\s?([1-8])\d{6}(?!\d)")
_CARD = re.compile(r"(?<!\d)(\d{4})[ -]?\d{4}[ -]?\d{4}[ -]?(\d{4})(?!\d)")
_PHONE = re.compile(
    r"(?<!\d)(01[016789]|02|0[3-6][1-5]|070|050\d?)[ -.]?(\d{3,4})[ -.]?(\d{4})(?!\d)"
)
# Bank account numbers: 10–14 digits, often grouped with dashes.
_ACCOUNT = re.compile(r"(?<!\d)\d{2,6}-\d{2,6}-\d{2,8}(?:-\d{1,4})?(?!\d)|(?<!\d)\d{11,14}(?!\d)")
# 12가3456, 123가4567, 서울12가3456
_PLATE = re.compile(
    r"(?:[가-힣]{2}\s?)?\d{2,3}\s?[가-힣]\s?\d{4}(?!\d)"
)


def mask_rrn(text: str) -> str:
    return _RRN.sub(lambda m: f"{m.group(1)}-{m.group(2)}******", text)


def mask_personal_data(text: str) -> str:
    """Mask everything personal; keep enough (first digits) for a person to follow the text."""
    if not text:
        return text
    text = mask_rrn(text)
    text = _CARD.sub(lambda m: f"{m.group(1)}-****-****-{m.group(2)}", text)
    text = _PHONE.sub(lambda m: f"{m.group(1)}-****-{m.group(3)}", text)
    text = _ACCOUNT.sub(lambda m: "*" * len(m.group(0)), text)
    text = _PLATE.sub("[차량번호]", text)
    return text


def mask_and_seal(text: str) -> tuple[str, str | None]:
    """The masked text, and the sealed original when masking changed anything."""
    masked = mask_personal_data(text)
    if masked == text:
        return text, None
    from minwon import sealing  # cryptography is only needed when there is something to seal

    return masked, sealing.seal(text)


def counsellor_view(masked: str, sealed: str | None) -> str:
    """What a counsellor reads: the original with the RRN still masked."""
    from minwon import sealing

    original = sealing.unseal(sealed) if sealed else None
    return mask_rrn(original) if original is not None else masked


_log_masking_installed = False


def install_log_masking() -> None:
    """Mask personal data in every log record of this process, whatever logger made it.

    A record factory (not a handler filter) so it also covers handlers that libraries
    and servers (uvicorn, sanic, Rasa) add after we start."""
    global _log_masking_installed
    if _log_masking_installed:
        return
    import logging

    base = logging.getLogRecordFactory()

    def factory(*args, **kwargs):  # type: ignore[no-untyped-def]
        record = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours
            return record
        masked = mask_personal_data(message)
        if masked == message:
            return record
        if isinstance(record.args, tuple) and record.name.startswith("uvicorn.access"):
            # uvicorn's access formatter unpacks the five args itself: mask them in place.
            record.args = tuple(mask_personal_data(a) if isinstance(a, str) else a for a in record.args)
        else:
            record.msg, record.args = masked, None
        return record

    logging.setLogRecordFactory(factory)
    _log_masking_installed = True
