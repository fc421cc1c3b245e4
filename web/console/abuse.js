// Counsellor protection in the console (issue 14), a module beside console.js:
// - on an open ticket: the strike history, "법적 고지 후 종료" (sends the legal notice as the
//   reply, records an incident), "사건 기록", "휴식 시작" (logged);
// - for supervisors, a "보호" tab: incidents with evidence export, and the repeat-caller list
//   with a one-week bar and its lift.
// Citizen text goes in through textContent only. Unsafe requests carry the CSRF token.

const $ = (id) => document.getElementById(id);
let me = null;

export const LEGAL_NOTICE =
  "고객님, 욕설과 폭언이 계속되어 상담을 종료합니다. 예시시는 산업안전보건법 제41조(고객응대근로자 보호)에 따라 " +
  "상담하는 직원을 보호하고 있으며, 상담 기록은 법적 조치에 쓰일 수 있습니다.";

async function call(path, method = "GET", data) {
  const headers = { "Content-Type": "application/json" };
  if (me) headers["X-CSRF-Token"] = me.csrf_token;
  const res = await fetch(path, { method, credentials: "same-origin", headers, body: data ? JSON.stringify(data) : undefined });
  let body = null;
  try { body = await res.json(); } catch { body = null; }
  if (!res.ok) throw new Error((body && typeof body.detail === "string" && body.detail) || `오류 (${res.status})`);
  return body;
}

function row(...cells) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    const td = document.createElement("td");
    if (c instanceof Node) td.append(c); else td.textContent = String(c ?? "");
    tr.append(td);
  }
  return tr;
}

function button(label, onClick) {
  const b = document.createElement("button");
  b.type = "button"; b.textContent = label; b.addEventListener("click", onClick);
  return b;
}

function say(message) { $("abuse-status").textContent = message; }

async function strikeHistory() {
  const t = $("ticket").dataset;
  if (!t.conversationId) return;
  const h = await call(`/api/console/abuse/conversations/${encodeURIComponent(t.conversationId)}`);
  const box = $("abuse-strikes");
  box.replaceChildren();
  $("abuse-flag").hidden = !h.strikes.length;
  for (const s of h.strikes) {
    const li = document.createElement("li");
    li.textContent = `${s.at.slice(11, 19)} · ${s.level}차 · ${s.label} · ${s.text}`;
    box.append(li);
  }
}

function ticketTools() {
  const ticket = $("ticket");
  const bar = document.createElement("div");
  bar.className = "abuse-tools";
  bar.innerHTML = `<p id="abuse-flag" class="abuse-flag" hidden>폭언 기록이 있는 상담입니다</p>
    <ol id="abuse-strikes" class="abuse-strikes" aria-label="경고 기록"></ol>
    <p id="abuse-status" role="status" class="muted"></p>`;
  const conv = () => ({ conversation_id: ticket.dataset.conversationId, ticket_id: ticket.dataset.ticketId,
                        channel: ticket.dataset.channel || "" });
  bar.append(
    button("법적 고지 후 종료", async () => {
      try {
        await call(`/api/console/tickets/${ticket.dataset.ticketId}/reply`, "POST", { text: LEGAL_NOTICE });
        const inc = await call("/api/console/abuse/incidents", "POST", { ...conv(), end_conversation: true, note: "상담원이 법적 고지 후 종료" });
        say(`법적 고지를 보내고 사건 ${inc.id}번으로 기록했습니다.`);
      } catch (e) { say(e.message); }
    }),
    button("사건 기록", async () => {
      const note = window.prompt("사건 내용을 적어 주세요", "") || "";
      try { const inc = await call("/api/console/abuse/incidents", "POST", { ...conv(), note }); say(`사건 ${inc.id}번으로 기록했습니다.`); }
      catch (e) { say(e.message); }
    }),
    button("휴식 시작 (15분)", async () => {
      try { await call("/api/console/abuse/breaks", "POST", { minutes: 15 }); say("15분 휴식을 기록했습니다. 충분히 쉬고 오세요."); }
      catch (e) { say(e.message); }
    }),
  );
  ticket.append(bar);
  new MutationObserver(() => { if (!ticket.hidden) strikeHistory().catch(() => {}); })
    .observe(ticket, { attributes: true, attributeFilter: ["hidden", "data-conversation-id"] });
}

async function loadSupervisor() {
  const incidents = await call("/api/console/abuse/incidents");
  $("incident-body").replaceChildren(...incidents.map((i) => row(
    i.created_at.slice(0, 16).replace("T", " "), i.channel, i.kind, i.citizen_key, i.reported_by,
    button("증거 내려받기", () => { window.location.href = `/api/console/abuse/incidents/${i.id}/evidence`; }))));
  const callers = await call("/api/console/abuse/repeat-callers");
  $("repeat-body").replaceChildren(...callers.map((c) => row(
    c.citizen_key, `${c.strikes}회`, c.barred ? `제한 중 (~${(c.barred_until || "").slice(0, 10)})` : "없음",
    c.barred
      ? button("제한 해제", async () => { await call(`/api/console/abuse/repeat-callers/${encodeURIComponent(c.citizen_key)}/lift`, "POST"); loadSupervisor(); })
      : button("1주 이용 제한", async () => {
        const reason = window.prompt("제한 사유", "반복 폭언");
        if (!reason) return;
        await call(`/api/console/abuse/repeat-callers/${encodeURIComponent(c.citizen_key)}/bar`, "POST", { reason, days: 7 });
        loadSupervisor();
      }))));
}

function supervisorTab() {
  const tab = document.createElement("button");
  tab.setAttribute("role", "tab"); tab.dataset.tab = "abuse"; tab.setAttribute("aria-selected", "false");
  tab.textContent = "상담원 보호";
  document.querySelector("nav.tabs").append(tab);
  const panel = document.createElement("div");
  panel.id = "tab-abuse"; panel.className = "tab"; panel.hidden = true;
  panel.innerHTML = `<h3>폭언·위협·성희롱 사건</h3>
    <table class="queue"><thead><tr><th>시각</th><th>채널</th><th>종류</th><th>시민</th><th>기록자</th><th>증거</th></tr></thead>
    <tbody id="incident-body"></tbody></table>
    <h3>반복 민원인 (최근 30일 경고 3회 이상)</h3>
    <table class="queue"><thead><tr><th>시민</th><th>경고</th><th>이용 제한</th><th>조치</th></tr></thead>
    <tbody id="repeat-body"></tbody></table>`;
  $("app-view").append(panel);
  document.querySelector("nav.tabs").addEventListener("click", (e) => {
    const b = e.target.closest("[role=tab]");
    if (!b) return;
    const mine = b.dataset.tab === "abuse";
    panel.hidden = !mine;
    tab.setAttribute("aria-selected", String(mine));
    if (mine) {
      for (const t of document.querySelectorAll("#app-view > .tab")) if (t !== panel) t.hidden = true;
      for (const o of document.querySelectorAll("[role=tab]")) if (o !== tab) o.setAttribute("aria-selected", "false");
      loadSupervisor().catch((err) => { $("incident-body").textContent = err.message; });
    }
  });
}

async function init() {
  try { me = await call("/api/console/me"); } catch { setTimeout(init, 2000); return; }
  ticketTools();
  if (["supervisor", "admin"].includes(me.role)) supervisorTab();
}

init();
