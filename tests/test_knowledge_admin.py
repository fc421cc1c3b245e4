"""Knowledge managers end to end: a 300-row XLSX with five planted problems shows exactly
those five in the preview (in a real browser), is fixed, tried next to the live DB and
published; the bot answers the new question within 5 s. Edits are versioned, a stale save
is refused, a version can be restored; bad files get clear errors."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from sqlalchemy import update

from minwon.db.models import Entry
from minwon.db.session import make_engine, session_scope
from minwon.settings import SAMPLE_DB_CSV as SAMPLE_CSV
from tests.admin_files import read_xlsx, three_hundred, to_xlsx
from tests.browser import chromium, screenshot, wait_for
from tests.stack import SERVICE_HEADERS

pytestmark = pytest.mark.slow
KM_PASSWORD = "knowledge-pw-1"


@pytest.fixture()
def km(stack):
    stack.add_user("km", "knowledge_manager", KM_PASSWORD)
    client = stack.console("km", KM_PASSWORD)
    yield client
    client.close()
    # Leave the shared stack's counseling DB as the other tests expect it.
    with session_scope(make_engine(stack.full_env()["MINWON_DATABASE_URL"])) as s:
        s.execute(update(Entry).where(Entry.id.like("NEW-%")).values(active=False))


def _existing(km) -> list[dict[str, str]]:
    """The sample DB's entries as the admin page exports them (other tests add their own)."""
    r = km.get("/api/admin/export", params={"format": "xlsx"})
    assert r.status_code == 200
    with SAMPLE_CSV.open(encoding="utf-8") as f:
        sample_ids = {row["id"] for row in csv.DictReader(f)}
    return [row for row in read_xlsx(r.content) if row["id"] in sample_ids]


def test_preview_finds_exactly_the_planted_problems(km):
    records, expected = three_hundred(_existing(km), planted=True)
    assert len(records) == 300
    r = km.post("/api/admin/imports", params={"filename": "entries.xlsx"}, content=to_xlsx(records))
    assert r.status_code == 200, r.text
    body = r.json()
    found = {}
    rows_by_id = {i + 2: rec["id"] for i, rec in enumerate(records)}
    for p in body["problems"]:
        found[rows_by_id[p["row"]]] = p["kind"]
    assert found == expected, body["problems"]
    publish = km.post(f"/api/admin/imports/{body['draft_id']}/publish")
    assert publish.status_code == 409 and "고쳐" in publish.json()["detail"]


def test_import_fix_try_publish_and_the_bot_answers(stack, km, tmp_path):
    existing = _existing(km)
    broken, _ = three_hundred(existing, planted=True)
    fixed, _ = three_hundred(existing, planted=False)
    (tmp_path / "entries.xlsx").write_bytes(to_xlsx(broken))
    (tmp_path / "entries_fixed.xlsx").write_bytes(to_xlsx(fixed))
    with chromium(tmp_path / "profile") as driver:
        driver.get(f"{stack.api_url}/admin/")
        wait_for(lambda: driver.find_element(By.ID, "login-username").is_displayed(), what="login")
        driver.find_element(By.ID, "login-username").send_keys("km")
        driver.find_element(By.ID, "login-password").send_keys(KM_PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
        wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#entries button"), what="entry list")
        driver.find_element(By.CSS_SELECTOR, '[data-tab="import"]').click()

        driver.find_element(By.ID, "import-file").send_keys(str(tmp_path / "entries.xlsx"))
        driver.find_element(By.CSS_SELECTOR, "#import-form button").click()
        rows = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#problems tr"), 120, "problems listed")
        kinds = sorted(r.get_attribute("data-problem") for r in rows)
        assert kinds == ["duplicate_question", "overlapping_entry", "row_error", "row_error", "row_error"], kinds
        assert not driver.find_element(By.ID, "publish").is_enabled()
        assert not driver.find_element(By.ID, "tab-entries").is_displayed()
        driver.execute_script("document.getElementById('preview').scrollIntoView()")
        screenshot(driver, "admin-import-problems.png")

        driver.find_element(By.ID, "import-file").send_keys(str(tmp_path / "entries_fixed.xlsx"))
        driver.find_element(By.CSS_SELECTOR, "#import-form button").click()
        wait_for(lambda: "문제 0건" in driver.find_element(By.ID, "preview-summary").text, 120, "clean preview")
        driver.find_element(By.ID, "try-text").send_keys("방학 때 아이 코딩 배울 곳 있나요")
        driver.find_element(By.CSS_SELECTOR, "#try-form button").click()
        wait_for(lambda: "NEW-104" in driver.find_element(By.ID, "try-draft").text, 20, "draft answers")
        assert "NEW-104" not in driver.find_element(By.ID, "try-live").text
        driver.execute_script("document.getElementById('try-form').scrollIntoView()")
        screenshot(driver, "admin-import-try.png")

        driver.find_element(By.ID, "publish").click()
        published = time.monotonic()
        wait_for(lambda: "게시했습니다" in driver.find_element(By.ID, "publish-status").text, 60, "published")
    for attempt in range(100):
        reply = stack.texts(stack.say(f"km-new-{attempt}-{time.time_ns()}", "방학 중 어린이 코딩 교실이 있나요?"))
        if "코딩 교실" in reply:
            break
        assert time.monotonic() - published < 5, f"new entry not answered 5 s after publishing: {reply}"
        time.sleep(0.2)
    # The names the voice gateway puts back into misheard speech follow the DB too: the new
    # entry's department was not in the sample DB.
    words = httpx.get(f"{stack.api_url}/api/knowledge/vocabulary", timeout=10).json()["words"]
    assert "평생학습과" in words and "아이스팩" in words, words[:20]


def test_edits_are_versioned_a_stale_save_is_refused_and_a_version_restored(km):
    entry = km.get("/api/admin/entries/CF-002").json()
    v = entry["version"]
    fields = {k: entry[k] for k in ("category", "question", "alt_questions", "answer", "department", "phone")}
    first = km.put(
        "/api/admin/entries/CF-002",
        json={"fields": {**fields, "answer": entry["answer"] + " 수정 1"}, "version": v, "reason": "테스트 수정"},
    )
    assert first.status_code == 200 and first.json()["version"] == v + 1
    # A second editor saves from the same old version: refused, nothing changed.
    stale = km.put("/api/admin/entries/CF-002", json={"fields": {**fields, "answer": "덮어쓰기"}, "version": v})
    assert stale.status_code == 409 and "다른 사람이 먼저" in stale.json()["detail"]
    now = km.get("/api/admin/entries/CF-002").json()
    assert now["answer"].endswith("수정 1") and now["versions"][0]["reason"] == "테스트 수정"
    assert now["versions"][0]["changed_by"] == "km"
    bad = km.put("/api/admin/entries/CF-002", json={"fields": {**fields, "answer": ""}, "version": now["version"]})
    assert bad.status_code == 422 and "answer" in str(bad.json()["detail"])
    back = km.post("/api/admin/entries/CF-002/revert", json={"version": v, "reason": "원래대로"})
    assert back.status_code == 200 and back.json()["answer"] == entry["answer"]
    assert km.get("/api/admin/entries/CF-002").json()["versions"][0]["action"] == "revert"


def test_bad_files_get_clear_errors(km):
    r = km.post("/api/admin/imports", params={"filename": "broken.xlsx"}, content=b"PK\x03\x04 not really a workbook")
    assert r.status_code == 400 and r.json()["detail"], r.text
    cp949 = "id,category,question,answer\nNEW-201,생활,반상회는 언제 하나요?,매월 25일입니다.\n".encode("cp949")
    r = km.post("/api/admin/imports", params={"filename": "cp949.csv"}, content=cp949)
    assert r.status_code == 200 and r.json()["rows"] == 1 and not r.json()["problems"], r.text
    big = "id,category,question,answer\n" + "".join(f"B-{i},생활,질문 {i},답 {i}\n" for i in range(50_000))
    t0 = time.monotonic()
    r = km.post("/api/admin/imports", params={"filename": "big.csv"}, content=big.encode())
    assert r.status_code == 400 and "20,000행" in r.json()["detail"] and time.monotonic() - t0 < 30
    assert km.post("/api/admin/imports", params={"filename": "empty.csv"}, content=b"").status_code == 400
    assert km.post("/api/admin/imports/nope/publish").status_code == 404


def test_export_neutralises_formulas(stack, km):
    entry = km.get("/api/admin/entries/CF-003").json()
    fields = {k: entry[k] for k in ("category", "question", "alt_questions", "answer", "department", "phone")}
    evil = '=HYPERLINK("http://evil.example","클릭")'
    saved = km.put(
        "/api/admin/entries/CF-003", json={"fields": {**fields, "answer": evil}, "version": entry["version"]}
    )
    assert saved.status_code == 200
    try:
        xlsx = km.get("/api/admin/export", params={"format": "xlsx"}).content
        ws = load_workbook(io.BytesIO(xlsx)).active
        answers = [row[6].value for row in ws.iter_rows(min_row=2) if row[0].value == "CF-003"]
        assert answers and not str(answers[0]).startswith("=")
        csv_text = km.get("/api/admin/export", params={"format": "csv"}).content.decode("utf-8-sig")
        assert "\n=HYPERLINK" not in csv_text and ",=HYPERLINK" not in csv_text
    finally:
        km.post("/api/admin/entries/CF-003/revert", json={"version": entry["version"]})


def test_only_knowledge_managers_may_edit(stack):
    stack.add_user("clerk", "counsellor")
    with stack.console("clerk", "counsellor-pw-1") as clerk:
        assert clerk.get("/api/admin/entries").status_code == 403
    assert httpx.get(f"{stack.api_url}/api/admin/entries").status_code == 401


def test_unanswered_inbox_groups_questions_and_turns_them_into_phrasings(stack, km):
    """Citizens ask the same unknown thing in different words: one group, most asked first;
    adding it as phrasings of an entry makes the bot answer it; out-of-scope ones vanish."""
    asked = [
        "시청 구내식당 점심 메뉴 알려줘",
        "시청 구내식당 오늘 점심 뭐예요",
        "시청 구내식당 점심 메뉴가 뭔가요",
        "우주선 발사 일정 알려줘",
    ]
    for i, text in enumerate(asked):
        r = httpx.post(f"{stack.api_url}/api/knowledge/ask", json={"text": text, "conversation_id": f"inbox-{i}"},
                       headers=SERVICE_HEADERS)
        assert r.json()["decision"] in ("reject", "clarify"), (text, r.json()["decision"])
    clusters = km.get("/api/admin/inbox").json()["clusters"]
    canteen = next(c for c in clusters if "구내식당" in c["representative"])
    assert canteen["count"] >= 3 and all("구내식당" in t for t in canteen["texts"]), canteen
    assert not any("우주선" in t for t in canteen["texts"])
    space = next(c for c in clusters if "우주선" in c["representative"])
    assert km.post("/api/admin/inbox/out-of-scope", json={"texts": space["texts"]}).json()["marked"] == 1
    target = km.get("/api/admin/entries", params={"q": "CF-007"}).json()["entries"][0]["id"]
    added = km.post("/api/admin/inbox/add-phrasing", json={"texts": canteen["texts"], "entry_id": target})
    assert added.status_code == 200 and added.json()["added"] == len(canteen["texts"])
    assert km.get(f"/api/admin/entries/{target}").json()["versions"][0]["reason"].startswith("미답변")
    left = km.get("/api/admin/inbox").json()["clusters"]
    assert not any("구내식당" in t or "우주선" in t for c in left for t in c["texts"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        r = httpx.post(
            f"{stack.api_url}/api/knowledge/ask", json={"text": "시청 구내식당 오늘 점심 뭐예요", "log": False},
            headers=SERVICE_HEADERS,
        )
        if r.json()["decision"] == "answer" and r.json()["entry"]["id"] == target:
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the added phrasing is not answered")
    km.post(
        f"/api/admin/entries/{target}/revert",
        json={"version": km.get(f"/api/admin/entries/{target}").json()["versions"][1]["version"]},
    )


def test_intent_examples_are_managed_and_reach_the_training_data(stack, km, tmp_path):
    added = km.post(
        "/api/admin/intents/examples", json={"intent": "request_human", "text": "사람 상담원 좀 불러 주실래요"}
    )
    assert added.status_code == 201, added.text
    clash = km.post("/api/admin/intents/examples", json={"intent": "greet", "text": "사람 상담원 좀 불러 주실래요"})
    assert clash.status_code == 409 and "request_human" in clash.json()["detail"]
    from_file = km.post("/api/admin/intents/examples", json={"intent": "thank", "text": "안녕하세요"})
    assert from_file.status_code == 409  # already a greet example in nlu_data/
    assert km.post("/api/admin/intents/examples", json={"intent": "ask_question", "text": "x"}).status_code == 422
    listing = {i["intent"]: i for i in km.get("/api/admin/intents").json()["intents"]}
    assert any(a["text"] == "사람 상담원 좀 불러 주실래요" for a in listing["request_human"]["added"])
    assert listing["greet"]["examples"]
    # build_nlu writes them next to the generated ask_question examples.
    import subprocess

    from tests.stack import SVC_PY

    out = tmp_path / "faq.yml"
    subprocess.run(
        [str(SVC_PY), "-m", "training.build_nlu", "--out", str(out)],
        env=stack.full_env(),
        check=True,
        cwd=str(Path(__file__).resolve().parent.parent),
        capture_output=True,
    )
    assert "사람 상담원 좀 불러 주실래요" in (tmp_path / "managed.yml").read_text(encoding="utf-8")
    assert km.delete(f"/api/admin/intents/examples/{added.json()['id']}").json() == {"deleted": True}
    assert km.delete(f"/api/admin/intents/examples/{added.json()['id']}").status_code == 404


def test_answers_rated_unhelpful_reach_the_inbox(stack, km):
    r = httpx.post(
        f"{stack.api_url}/api/conversations/rate-1/feedback",
        json={"entry_id": "WA-001", "helpful": False, "question": "수도요금 고지서 재발급 010-1234-5678"},
    )
    assert r.status_code == 201
    assert httpx.post(f"{stack.api_url}/api/conversations/rate-1/feedback", json={"helpful": False}).status_code == 422
    clusters = km.get("/api/admin/inbox").json()["clusters"]
    mine = next(c for c in clusters if any("고지서 재발급" in t for t in c["texts"]))
    assert mine["sources"].get("도움 안 됨") == 1
    assert not any("010-1234-5678" in t for t in mine["texts"])  # masked like every stored copy
    km.post("/api/admin/inbox/out-of-scope", json={"texts": mine["texts"]})
