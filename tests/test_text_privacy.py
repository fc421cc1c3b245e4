"""Text cleaning and personal-data masking."""

from minwon.privacy import mask_personal_data, mask_rrn
from minwon.text import clean, decode_bytes, has_meaningful_text


def test_clean_folds_space_control_and_decomposed_jamo():
    decomposed = "\u1100\u1161\u11ab"  # 간 typed as separate jamo
    assert clean(f"  여권\u200b  재발급\n\t준비물 {decomposed}\x00 ") == "여권 재발급 준비물 간"


def test_clean_cuts_at_limit():
    assert clean("가" * 10_000, limit=500) == "가" * 500


def test_decode_bytes_utf8_cp949_and_garbage():
    assert decode_bytes("수도요금".encode()) == "수도요금"
    assert decode_bytes("수도요금".encode("cp949")) == "수도요금"
    # Invalid in both encodings: replaced, never raised.
    assert "\ufffd" in decode_bytes(b"\xff\xfe\xfa\x80abc")


def test_meaningful_text():
    assert not has_meaningful_text("😀😀!!")
    assert has_meaningful_text("😀 여권")


def test_masks_rrn_phone_card_account_plate():
    text = (
        "주민번호 900101-1234567, 전화 010-1234-5678, 집 02-123-4567, 카드 1234-5678-9012-3456, "
        "계좌 110-234-567890, 차량 12가3456 입니다"
    )
    masked = mask_personal_data(text)
    for secret in ("1234567", "1234-5678", "5678-9012", "567890", "12가3456"):
        assert secret not in masked, secret
    assert "900101-1******" in masked
    assert "010-****-5678" in masked
    assert "[차량번호]" in masked


def test_rrn_without_dash_and_counsellor_view_keeps_phone():
    assert mask_rrn("9001011234567") == "900101-1******"
    assert mask_rrn("연락처 010-1234-5678") == "연락처 010-1234-5678"


def test_log_masking_keeps_uvicorn_access_lines_formattable():
    """uvicorn's access formatter unpacks the record's five args itself: masking must keep
    them (a phone number in the path masked), or every access line is a logging error."""
    import io
    import logging

    from uvicorn.logging import AccessFormatter

    from minwon.privacy import install_log_masking

    install_log_masking()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False))
    logger = logging.getLogger("uvicorn.access.test")
    logger.addHandler(handler)
    logger.propagate = False
    logger.warning('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/api/x?tel=010-1234-5678", "1.1", 200)
    logger.warning('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/health", "1.1", 200)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and "010-1234-5678" not in lines[0] and "/health" in lines[1], lines
    assert lines[0].endswith("200 OK") and "010-****-5678" in lines[0]
