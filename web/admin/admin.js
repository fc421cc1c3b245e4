// Knowledge managers' page. Plain ES module, no build; all data goes in with textContent.
const $ = (id) => document.getElementById(id);
const state = { me: null, current: null };
const FIELDS = ["category", "question", "alt_questions", "answer", "spoken_answer", "department", "phone",
  "valid_from", "valid_to", "needs_human"];
const KIND_KO = { row_error: "형식 오류", duplicate_question: "중복 질문", overlapping_entry: "같은 질문에 답하는 항목" };

function el(tag, attrs = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") n.textContent = v; else if (k.startsWith("data-") || k.startsWith("aria-")) n.setAttribute(k, v); else n[k] = v;
  }
  for (const c of children) if (c != null) n.append(c);
  return n;
}

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (!(options.body instanceof Blob) && options.body) headers["Content-Type"] = "application/json";
  if (state.me) headers["X-CSRF-Token"] = state.me.csrf_token;
  const res = await fetch(path, { credentials: "same-origin", ...options, headers });
  let body = null;
  try { body = await res.json(); } catch { body = null; }
  if (res.status === 401 && path !== "/api/console/login") showLogin("로그인 시간이 지났습니다. 다시 로그인해 주세요.");
  if (!res.ok) {
    const d = body && body.detail;
    const msg = typeof d === "string" ? d : d && d.message ? [d.message, ...(d.errors || [])].join(" ") : `오류 (${res.status})`;
    throw new Error(msg);
  }
  return body;
}
const post = (path, data, method = "POST") => api(path, { method, body: JSON.stringify(data) });

function showLogin(msg = "") {
  state.me = null;
  $("app-view").hidden = true; $("who").hidden = true; $("login-view").hidden = false;
  $("login-error").textContent = msg;
}

async function start() {
  try { state.me = await api("/api/console/me"); } catch { showLogin(); return; }
  if (!["knowledge_manager", "admin"].includes(state.me.role)) { showLogin("지식 관리자 계정으로 로그인해 주세요."); return; }
  $("login-view").hidden = true; $("app-view").hidden = false; $("who").hidden = false;
  $("who-name").textContent = `${state.me.display_name} (${state.me.role_ko})`;
  await search();
}

async function search() {
  const q = encodeURIComponent($("search").value.trim());
  const { entries } = await api(`/api/admin/entries?q=${q}&limit=200`);
  const list = $("entries"); list.replaceChildren();
  for (const e of entries) {
    const b = el("button", { type: "button", text: `${e.id} ${e.question}`, "data-entry": e.id });
    b.onclick = () => openEntry(e.id);
    list.append(el("li", {}, b));
  }
}

function fill(e) {
  $("f-id").value = e.id || ""; $("f-id").readOnly = !!e.version;
  for (const f of FIELDS) {
    const input = $(`f-${f}`);
    if (f === "needs_human") input.checked = !!e[f];
    else if (f === "alt_questions") input.value = (e[f] || []).join("\n");
    else input.value = e[f] || "";
  }
  $("f-reason").value = "";
}

async function openEntry(id) {
  $("edit-error").textContent = ""; $("edit-ok").textContent = "";
  const e = await api(`/api/admin/entries/${encodeURIComponent(id)}`);
  state.current = e;
  $("edit-title").textContent = `${e.id} (버전 ${e.version})`;
  for (const b of document.querySelectorAll("#entries button")) b.setAttribute("aria-current", String(b.dataset.entry === id));
  fill(e);
  const list = $("versions"); list.replaceChildren();
  for (const v of e.versions) {
    const li = el("li", { text: `v${v.version} ${v.action} · ${v.changed_by} · ${new Date(v.changed_at).toLocaleString("ko-KR")} · ${v.reason || ""} ` });
    if (v.version !== e.version) {
      const btn = el("button", { type: "button", text: "이 버전으로 되돌리기" });
      btn.onclick = async () => {
        try { await post(`/api/admin/entries/${encodeURIComponent(e.id)}/revert`, { version: v.version, reason: "" }); await openEntry(e.id); $("edit-ok").textContent = `버전 ${v.version}(으)로 되돌렸습니다.`; }
        catch (err) { $("edit-error").textContent = err.message; }
      };
      li.append(btn);
    }
    list.append(li);
  }
}

function collect() {
  const fields = {};
  for (const f of FIELDS) {
    const input = $(`f-${f}`);
    fields[f] = f === "needs_human" ? input.checked : f === "alt_questions" ? input.value.split("\n").map((s) => s.trim()).filter(Boolean) : input.value;
  }
  return fields;
}

async function save(e) {
  e.preventDefault();
  $("edit-error").textContent = ""; $("edit-ok").textContent = "";
  const reason = $("f-reason").value;
  try {
    let saved;
    if (state.current && state.current.version) {
      saved = await post(`/api/admin/entries/${encodeURIComponent(state.current.id)}`, { fields: collect(), version: state.current.version, reason }, "PUT");
    } else {
      saved = state.inboxTexts
        ? await post("/api/admin/inbox/new-entry", { id: $("f-id").value.trim(), fields: collect(), texts: state.inboxTexts })
        : await post("/api/admin/entries", { id: $("f-id").value.trim(), fields: collect(), reason });
      state.inboxTexts = null;
    }
    await openEntry(saved.id); await search();
    $("edit-ok").textContent = "저장했습니다. 몇 초 안에 시민 답변에 반영됩니다.";
  } catch (err) { $("edit-error").textContent = err.message; }
}

let draftId = null;
async function preview(e) {
  e.preventDefault();
  const file = $("import-file").files[0];
  $("import-error").textContent = ""; $("publish-status").textContent = "";
  if (!file) { $("import-error").textContent = "파일을 골라 주세요."; return; }
  $("import-status").textContent = "검사하는 중입니다… (수백 행이면 몇 초 걸립니다)";
  try {
    const r = await api(`/api/admin/imports?filename=${encodeURIComponent(file.name)}`, { method: "POST", body: file });
    draftId = r.draft_id;
    $("import-status").textContent = "";
    $("preview").hidden = false;
    $("preview-summary").textContent = `올바른 행 ${r.rows}개: 새 항목 ${r.new}, 바뀐 항목 ${r.changed}, 그대로 ${r.unchanged}. 문제 ${r.problems.length}건.`;
    $("problems").replaceChildren(...r.problems.map((p) => el("tr", { "data-problem": p.kind },
      el("td", { text: String(p.row) }), el("td", { text: p.column }), el("td", { text: KIND_KO[p.kind] || p.kind }), el("td", { text: p.message }))));
    $("publish").disabled = r.problems.length > 0;
  } catch (err) { $("import-status").textContent = ""; $("import-error").textContent = err.message; }
}

function describe(d) {
  if (d.decision === "reject") return "답하지 않음 (상담 DB에 없음)";
  const kind = d.decision === "answer" ? "답변" : "선택지 제시";
  return `${kind}: ${d.entry_id} ${d.question}\n\n${d.answer || ""}`;
}

async function loadInbox() {
  const { clusters } = await api("/api/admin/inbox");
  const body = $("inbox"); body.replaceChildren();
  for (const c of clusters) {
    const actions = el("td", {});
    if (c.suggestion) {
      const add = el("button", { type: "button", text: `${c.suggestion.entry_id}에 질문 표현으로 추가` });
      add.onclick = () => inboxAction("/api/admin/inbox/add-phrasing", { texts: c.texts, entry_id: c.suggestion.entry_id });
      actions.append(add, " ");
    }
    const create = el("button", { type: "button", text: "새 항목 만들기" });
    create.onclick = () => { selectTab("entries"); state.current = null; state.inboxTexts = c.texts; $("edit-title").textContent = "새 항목 (미답변 질문에서)"; fill({ question: c.representative, alt_questions: c.texts.slice(1) }); $("versions").replaceChildren(); };
    const out = el("button", { type: "button", text: "범위 밖" });
    out.onclick = () => inboxAction("/api/admin/inbox/out-of-scope", { texts: c.texts });
    actions.append(create, " ", out);
    body.append(el("tr", { "data-cluster": c.representative },
      el("td", { text: String(c.count) }),
      el("td", { text: c.texts.join(" / ") }),
      el("td", { text: c.suggestion ? `${c.suggestion.entry_id} ${c.suggestion.question} (${c.suggestion.score})` : "-" }),
      actions));
  }
  $("inbox-status").textContent = clusters.length ? "" : "처리할 미답변 질문이 없습니다.";
}

async function inboxAction(path, data) {
  $("inbox-error").textContent = "";
  try { await post(path, data); $("inbox-status").textContent = "처리했습니다."; await loadInbox(); }
  catch (err) { $("inbox-error").textContent = err.message; }
}

async function loadIntents() {
  const { intents } = await api("/api/admin/intents");
  const sel = $("example-intent");
  if (!sel.options.length) for (const i of intents) sel.append(el("option", { value: i.intent, text: i.intent }));
  $("intent-list").replaceChildren(...intents.map((i) => {
    const box = el("section", { className: "card" }, el("h3", { text: `${i.intent} (${i.examples.length + i.added.length})` }));
    const list = el("ul", {});
    for (const a of i.added) {
      const del = el("button", { type: "button", text: "삭제" });
      del.onclick = async () => { try { await api(`/api/admin/intents/examples/${a.id}`, { method: "DELETE" }); await loadIntents(); } catch (e) { $("example-error").textContent = e.message; } };
      list.append(el("li", { "data-example": a.text }, `${a.text} (추가: ${a.added_by}) `, del));
    }
    for (const e of i.examples.slice(0, 30)) list.append(el("li", { className: "muted", text: e }));
    box.append(list);
    return box;
  }));
}

const STATUS_KO = { candidate: "후보", active: "사용 중", retired: "이전 모델", rejected: "게시 불가" };

async function loadModels() {
  const { models } = await api("/api/admin/models");
  const body = $("models"); body.replaceChildren();
  for (const m of models) {
    const ev = m.eval || {};
    const act = el("td", {});
    if (m.status !== "active") {
      const b = el("button", { type: "button", text: m.published_at ? "이 모델로 되돌리기" : "게시" });
      b.onclick = async () => {
        $("models-error").textContent = "";
        $("train-status").textContent = "게시하는 중입니다… (모델을 불러오는 동안에도 챗봇은 계속 답합니다)";
        try { await post(`/api/admin/models/${encodeURIComponent(m.name)}/${m.published_at ? "rollback" : "publish"}`, {}); $("train-status").textContent = `${m.name} 모델을 게시했습니다.`; }
        catch (e) { $("train-status").textContent = ""; $("models-error").textContent = e.message; }
        await loadModels();
      };
      act.append(b);
    }
    body.append(el("tr", { "data-model": m.name }, el("td", { text: m.name }), el("td", { text: STATUS_KO[m.status] || m.status }),
      el("td", { text: ev.accuracy != null ? ev.accuracy.toFixed(3) : "-" }), el("td", { text: ev.macro_f1 != null ? ev.macro_f1.toFixed(3) : "-" }),
      el("td", { text: m.train_s ? `${m.train_s}초` : "-" }), el("td", { text: (m.gate && m.gate.reason) || "" }), act));
  }
  if (models.length && models[0].eval) {
    const ev = models[0].eval;
    $("report").hidden = false;
    $("report-title").textContent = `평가 보고서: ${models[0].name} (예문 ${ev.examples}개${ev.cross_validation ? `, 교차 검증 정확도 ${ev.cross_validation.accuracy}` : ""})`;
    $("report-pairs").replaceChildren(...(ev.confusion_pairs || []).map((p) => el("li", { text: `${p.intent} → ${p.predicted}: ${p.count}건` })));
    $("report-plot").src = `/api/admin/models/${encodeURIComponent(models[0].name)}/confusion.png`;
  }
}

let trainTimer = null;
async function pollTraining() {
  const st = await api("/api/admin/training");
  $("train-status").textContent = st.running ? `진행 중: ${st.stage}` : st.error ? `실패: ${st.error}` : st.stage ? `학습 ${st.stage}` : "";
  if (st.running) trainTimer = setTimeout(pollTraining, 2000); else { trainTimer = null; loadModels(); }
}

function selectTab(name) {
  for (const x of document.querySelectorAll("[role=tab]")) x.setAttribute("aria-selected", String(x.dataset.tab === name));
  for (const t of ["entries", "import", "inbox", "intents", "models", "export"]) $(`tab-${t}`).hidden = t !== name;
  if (name === "intents") loadIntents().catch((e) => { $("example-error").textContent = e.message; });
  if (name === "inbox") loadInbox().catch((e) => { $("inbox-error").textContent = e.message; });
  if (name === "models") { loadModels().catch((e) => { $("models-error").textContent = e.message; }); pollTraining().catch(() => {}); }
}

function wire() {
  $("login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try { state.me = await post("/api/console/login", { username: $("login-username").value, password: $("login-password").value }); await start(); }
    catch (err) { $("login-error").textContent = err.message; }
  });
  $("logout").onclick = async () => { try { await post("/api/console/logout", {}); } catch {} showLogin(); };
  for (const b of document.querySelectorAll("[role=tab]")) b.onclick = () => selectTab(b.dataset.tab);
  $("search-form").addEventListener("submit", (e) => { e.preventDefault(); search(); });
  $("new-entry").onclick = () => { state.current = null; state.inboxTexts = null; $("edit-title").textContent = "새 항목"; fill({}); $("versions").replaceChildren(); };
  $("edit").addEventListener("submit", save);
  $("import-form").addEventListener("submit", preview);
  $("try-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try { const r = await post(`/api/admin/imports/${draftId}/try`, { text: $("try-text").value }); $("try-live").textContent = describe(r.live); $("try-draft").textContent = describe(r.draft); }
    catch (err) { $("import-error").textContent = err.message; }
  });
  $("example-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    $("example-error").textContent = ""; $("example-status").textContent = "";
    try { const r = await post("/api/admin/intents/examples", { intent: $("example-intent").value, text: $("example-text").value }); $("example-status").textContent = `추가했습니다. ${r.note}`; $("example-text").value = ""; await loadIntents(); }
    catch (err) { $("example-error").textContent = err.message; }
  });
  $("train").onclick = async () => {
    $("models-error").textContent = "";
    try { await post("/api/admin/training", { cross_validation: $("train-cv").checked }); if (!trainTimer) pollTraining(); }
    catch (e) { $("models-error").textContent = e.message; }
  };
  $("publish").onclick = async () => {
    try { const r = await post(`/api/admin/imports/${draftId}/publish`, {}); $("publish-status").textContent = `${r.published}개 항목을 게시했습니다. 몇 초 안에 시민 답변에 반영됩니다.`; $("publish").disabled = true; await search(); }
    catch (err) { $("import-error").textContent = err.message; }
  };
}

wire();
start();
