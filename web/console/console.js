// The counsellors' console. Plain ES module, no build step. Every piece of citizen text
// goes into the page through textContent, never innerHTML.

const $ = (id) => document.getElementById(id);
const state = { me: null, meta: null, tickets: new Map(), open: null, ws: null, retry: 0 };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("data-")) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

async function api(path, options = {}) {
  const headers = { "Content-Type": "application/json" };
  if (state.me) headers["X-CSRF-Token"] = state.me.csrf_token;
  const res = await fetch(path, { credentials: "same-origin", ...options, headers });
  let body = null;
  try { body = await res.json(); } catch { body = null; }
  if (res.status === 401 && path !== "/api/console/login") { showLogin("로그인 시간이 지났습니다. 다시 로그인해 주세요."); }
  if (!res.ok) throw new Error((body && body.detail && (typeof body.detail === "string" ? body.detail : "요청 형식이 올바르지 않습니다")) || `오류 (${res.status})`);
  return body;
}

const post = (path, data = {}) => api(path, { method: "POST", body: JSON.stringify(data) });

function fmtWait(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}초`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}분 ${s % 60}초` : `${Math.floor(m / 60)}시간 ${m % 60}분`;
}

function showLogin(message = "") {
  state.me = null;
  if (state.ws) state.ws.close();
  $("app-view").hidden = true; $("who").hidden = true; $("login-view").hidden = false;
  $("login-error").textContent = message;
  $("login-username").focus();
}

async function start() {
  try { state.me = await api("/api/console/me"); } catch { showLogin(); return; }
  $("login-view").hidden = true; $("app-view").hidden = false; $("who").hidden = false;
  $("who-name").textContent = `${state.me.display_name} (${state.me.role_ko})`;
  $("stats-tab").hidden = !["supervisor", "admin"].includes(state.me.role);
  state.meta = await api("/api/console/meta");
  const sel = $("resolve-code"); sel.replaceChildren();
  for (const [code, label] of Object.entries(state.meta.dispositions)) sel.append(el("option", { value: code, text: label }));
  await loadQueue();
  await loadCallbacks();
  connect();
}

async function loadQueue() {
  const data = await api("/api/console/queue");
  state.tickets = new Map(data.tickets.map((t) => [t.id, { ...t, seenAt: Date.now() }]));
  renderQueue();
}

function renderQueue() {
  const body = $("queue-body"); body.replaceChildren();
  const rows = [...state.tickets.values()].filter((t) => ["queued", "claimed"].includes(t.status))
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
  for (const t of rows) {
    const waited = t.waiting_s + (Date.now() - t.seenAt) / 1000;
    const mine = t.claimed_by === state.me.username;
    const action = t.status === "queued"
      ? el("button", { type: "button", text: "배정받기", "data-claim": t.id, onclick: () => claim(t.id) })
      : el("button", { type: "button", text: mine ? "열기" : "보기", onclick: () => openTicket(t.id) });
    body.append(el("tr", { class: `${t.urgent ? "urgent " : ""}${mine ? "mine" : ""}`, "data-ticket": t.id },
      el("td", { text: fmtWait(waited) }),
      el("td", { text: t.status === "claimed" ? `상담 중 (${t.claimed_by})` : `대기 ${t.position ?? ""}` }),
      el("td", { text: t.channel_ko }),
      el("td", { text: [t.category, t.department].filter(Boolean).join(" / ") || "-" }),
      el("td", { text: t.reason_ko }),
      el("td", { class: "summary", text: t.summary || "-" }),
      el("td", {}, action)));
  }
  $("queue-empty").hidden = rows.length > 0;
  $("queue-count").textContent = rows.filter((t) => t.status === "queued").length;
}

async function claim(id) {
  $("queue-error").textContent = "";
  try { const t = await post(`/api/console/tickets/${id}/claim`); showTicket(t); }
  catch (e) { $("queue-error").textContent = e.message; }
}

async function openTicket(id) {
  try { showTicket(await api(`/api/console/tickets/${id}`)); }
  catch (e) { $("queue-error").textContent = e.message; }
}

function assist(turn) {
  if (turn.sender !== "user" || (!turn.intent && !(turn.candidates || []).length)) return null;
  const box = el("div", { class: "assist" });
  if (turn.intent) box.append(el("span", { text: `의도: ${turn.intent} (${Math.round((turn.confidence || 0) * 100)}%)` }));
  if ((turn.candidates || []).length) {
    const list = el("ol", { "aria-label": "챗봇이 검토한 상담 DB 후보" });
    for (const c of turn.candidates) list.append(el("li", { text: `${c.entry_id} ${c.question || ""} (${(c.score ?? 0).toFixed(2)})` }));
    box.append(el("span", { text: " 검토한 상담 DB 후보:" }), list);
  }
  return box;
}

const SENDER_KO = { user: "시민", bot: "챗봇", agent: "상담원", system: "안내" };

function turnItem(turn) {
  const who = turn.sender === "agent" && turn.author ? `상담원 ${turn.author}` : SENDER_KO[turn.sender] || turn.sender;
  return el("li", { class: turn.sender, "data-turn": String(turn.id) },
    el("span", { class: "who-line", text: who }), el("span", { class: "text", text: turn.text }), assist(turn));
}

function showTicket(t) {
  state.open = t;
  state.tickets.set(t.id, { ...t, seenAt: Date.now() });
  Object.assign($("ticket").dataset, { ticketId: t.id, conversationId: t.conversation_id, channel: t.channel }); // abuse.js
  renderQueue();
  $("ticket").hidden = false;
  $("ticket-meta").textContent = `${t.channel_ko} · ${t.reason_ko} · ${t.status_ko}${t.claimed_by ? ` · 담당 ${t.claimed_by}` : ""}`;
  const list = $("transcript"); list.replaceChildren(...t.transcript.map(turnItem));
  list.scrollTop = list.scrollHeight;
  const mine = t.status === "claimed" && t.claimed_by === state.me.username;
  for (const id of ["reply-text", "reply-send", "return-bot"]) $(id).disabled = !mine;
  for (const f of ["transfer-form", "resolve-form"]) for (const c of $(f).elements) c.disabled = !mine;
  $("ticket-error").textContent = "";
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify({ watch: t.id }));
}

function addTurn(turn) {
  const list = $("transcript");
  if (list.querySelector(`[data-turn="${turn.id}"]`)) return;
  list.append(turnItem(turn)); list.scrollTop = list.scrollHeight;
  $("citizen-typing").hidden = true;
}

function connect() {
  const proto = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${proto}://${location.host}/api/console/ws`);
  state.ws = ws;
  ws.onopen = () => {
    $("conn").textContent = "실시간 연결됨"; state.retry = 0;
    if (state.open) ws.send(JSON.stringify({ watch: state.open.id }));
  };
  ws.onmessage = (m) => handle(JSON.parse(m.data));
  ws.onclose = (e) => {
    if (!state.me) return;
    if (e.code === 4401) { showLogin("로그인 시간이 지났습니다. 다시 로그인해 주세요."); return; }
    $("conn").textContent = "연결이 끊겨 다시 연결하는 중…";
    state.retry = Math.min(state.retry + 1, 5);
    setTimeout(async () => { try { await loadQueue(); } catch {} connect(); }, 500 * state.retry);
  };
}

let typingTimer = null;
function handle(ev) {
  if (ev.type === "ticket") {
    state.tickets.set(ev.ticket.id, { ...ev.ticket, seenAt: Date.now() });
    renderQueue();
    if (state.open && state.open.id === ev.ticket.id && ev.ticket.status !== state.open.status) openTicket(ev.ticket.id);
    window.__lastQueueEvent = { id: ev.ticket.id, sent_at: ev.sent_at, received_at: Date.now() / 1000 };
  } else if (ev.type === "turn" && state.open && ev.ticket_id === state.open.id) {
    addTurn(ev.turn);
  } else if (ev.type === "typing" && state.open && ev.ticket_id === state.open.id) {
    $("citizen-typing").hidden = false;
    clearTimeout(typingTimer); typingTimer = setTimeout(() => { $("citizen-typing").hidden = true; }, 4000);
  } else if (ev.type === "callback") {
    loadCallbacks();
  } else if (ev.type === "resync") {
    loadQueue();
  }
  if (ev.type === "ticket" && ev.ticket.kind === "callback") loadCallbacks();
}

async function loadCallbacks() {
  const { callbacks } = await api("/api/console/callbacks");
  const body = $("callback-body"); body.replaceChildren();
  for (const c of callbacks) {
    const select = el("select", { "aria-label": "통화 결과" });
    for (const [code, label] of Object.entries(state.meta.callback_outcomes)) select.append(el("option", { value: code, text: label }));
    const note = el("input", { "aria-label": "메모", maxLength: 2000 });
    const save = el("button", { type: "button", text: "기록" });
    save.onclick = async () => {
      try { await post(`/api/console/callbacks/${c.id}/outcome`, { outcome: select.value, note: note.value }); await loadCallbacks(); }
      catch (e) { $("callback-error").textContent = e.message; }
    };
    body.append(el("tr", { "data-callback": c.id },
      el("td", { text: new Date(c.created_at).toLocaleString("ko-KR") }),
      el("td", { text: c.callback_phone_full || c.callback_phone || "-" }),
      el("td", { text: c.preferred_time || "-" }),
      el("td", { text: c.summary || "-" }),
      el("td", { text: String(c.callback_attempts) }),
      el("td", {}, select, note, save)));
  }
  $("callback-empty").hidden = callbacks.length > 0;
  $("callback-count").textContent = callbacks.length;
}

async function loadStats() {
  const s = await api("/api/console/stats");
  const pct = (v) => (v == null ? "-" : `${(v * 100).toFixed(1)}%`);
  const rows = [["대기 중", `${s.queue_length}건`], ["가장 오래 기다린 시간", fmtWait(s.longest_wait_s)],
    ["오늘 접수", `${s.offered_today}건`], ["20초 내 응대율", pct(s.service_level["20"])],
    ["60초 내 응대율", pct(s.service_level["60"])], ["접속 상담원", `${s.counsellors_online}명`],
    ["처리할 콜백", `${s.callbacks_open}건`]];
  $("stats").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
  $("handled-body").replaceChildren(...Object.entries(s.handled_by).map(([u, n]) => el("tr", {}, el("td", { text: u }), el("td", { text: `${n}건` }))));
}

function selectTab(name) {
  for (const b of document.querySelectorAll("[role=tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
  for (const t of ["queue", "callbacks", "stats"]) $(`tab-${t}`).hidden = t !== name;
  if (name === "stats") loadStats().catch((e) => { $("stats").textContent = e.message; });
  if (name === "callbacks") loadCallbacks().catch(() => {});
}

function wire() {
  $("login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      state.me = await post("/api/console/login", { username: $("login-username").value, password: $("login-password").value });
      $("login-password").value = "";
      await start();
    } catch (err) { $("login-error").textContent = err.message; }
  });
  $("logout").onclick = async () => { try { await post("/api/console/logout"); } catch {} showLogin(); };
  for (const b of document.querySelectorAll("[role=tab]")) b.onclick = () => selectTab(b.dataset.tab);
  $("claim-next").onclick = async () => {
    $("queue-error").textContent = "";
    try { showTicket(await post("/api/console/claim-next")); } catch (e) { $("queue-error").textContent = e.message; }
  };
  $("reply-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("reply-text").value.trim();
    if (!text || !state.open) return;
    try { const r = await post(`/api/console/tickets/${state.open.id}/reply`, { text }); addTurn(r.turn); $("reply-text").value = ""; }
    catch (err) { $("ticket-error").textContent = err.message; }
  });
  let lastTyping = 0;
  $("reply-text").addEventListener("input", () => {
    if (!state.open || Date.now() - lastTyping < 2000) return;
    lastTyping = Date.now();
    post(`/api/console/tickets/${state.open.id}/typing`).catch(() => {});
  });
  $("transfer-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try { showTicket(await post(`/api/console/tickets/${state.open.id}/transfer`, { department: $("transfer-dept").value })); }
    catch (err) { $("ticket-error").textContent = err.message; }
  });
  $("resolve-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try { showTicket(await post(`/api/console/tickets/${state.open.id}/resolve`, { disposition: $("resolve-code").value, note: $("resolve-note").value })); }
    catch (err) { $("ticket-error").textContent = err.message; }
  });
  $("return-bot").onclick = async () => {
    try { showTicket(await post(`/api/console/tickets/${state.open.id}/return`, {})); }
    catch (err) { $("ticket-error").textContent = err.message; }
  };
  setInterval(renderQueue, 5000);  // waiting times keep counting between pushes
}

wire();
start();
