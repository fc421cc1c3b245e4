// minwon web chat widget. Embed with one tag:
//   <script src="https://<minwon>/widget/minwon-chat.js"
//           data-config='{"title":"예시시 민원 챗봇","colors":{"primary":"#0b57d0"}}' defer></script>
// or set window.MinwonChatConfig = {...} before it. Plain JS, no build, no dependencies.
// Everything a citizen or counsellor wrote is put on the page with textContent.
(() => {
  "use strict";
  const script = document.currentScript;
  const fromTag = (() => { try { return JSON.parse(script?.dataset.config || "{}"); } catch { return {}; } })();
  const cfg = Object.assign({
    server: script ? new URL(script.src, location.href).origin : location.origin,
    title: "민원 상담 챗봇",
    greeting: "안녕하세요. 궁금하신 내용을 적어 주시면 찾아 드리겠습니다.",
    colors: {},
    open: false,
  }, window.MinwonChatConfig || {}, fromTag);
  const colors = Object.assign({ primary: "#0b57d0", onPrimary: "#ffffff", bot: "#eef1f5", user: "#fff4d6", agent: "#e3f0ff" }, cfg.colors);
  const KEY = "minwon-chat:" + cfg.server;
  const stored = (() => { try { return JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch { return null; } })();
  const session = stored || { id: "web-" + (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now()), log: [], big: false, contrast: false };
  const save = () => { try { sessionStorage.setItem(KEY, JSON.stringify({ ...session, log: session.log.slice(-100) })); } catch { /* private mode */ } };

  const host = document.createElement("div");
  host.id = "minwon-chat";
  const root = host.attachShadow({ mode: "open" });
  const css = `
    :host { all: initial; }
    * { box-sizing: border-box; font-family: "Noto Sans KR", "Malgun Gothic", system-ui, sans-serif; }
    .launcher { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; border: 0; border-radius: 28px;
      padding: 14px 20px; font-size: 17px; background: ${colors.primary}; color: ${colors.onPrimary}; cursor: pointer; box-shadow: 0 2px 8px rgba(0,0,0,.3); }
    .panel { position: fixed; right: 16px; bottom: 16px; z-index: 2147483001; width: min(380px, calc(100vw - 32px));
      height: min(600px, calc(100vh - 32px)); display: flex; flex-direction: column; background: #fff; color: #1b1f24;
      border: 1px solid #8a939e; border-radius: 12px; overflow: hidden; box-shadow: 0 4px 16px rgba(0,0,0,.3); font-size: 16px; }
    .panel[hidden], .launcher[hidden] { display: none; }
    @media (max-width: 480px) { .panel { right: 0; bottom: 0; width: 100vw; height: 100vh; border-radius: 0; } }
    header { display: flex; align-items: center; gap: 4px; padding: 8px 10px; background: ${colors.primary}; color: ${colors.onPrimary}; }
    header h2 { flex: 1; margin: 0; font-size: 1.05em; }
    header button { background: transparent; color: inherit; border: 1px solid currentColor; border-radius: 6px; padding: 4px 6px; font-size: .85em; cursor: pointer; }
    .status { padding: 6px 10px; background: #fff7e0; border-bottom: 1px solid #e0c36a; font-size: .9em; display: flex; gap: 8px; align-items: center; }
    .status[hidden] { display: none; }
    .status span { flex: 1; }
    .log { flex: 1; overflow-y: auto; padding: 10px; margin: 0; list-style: none; }
    .msg { margin: 6px 0; padding: 8px 10px; border-radius: 10px; white-space: pre-wrap; word-break: break-word; max-width: 88%; line-height: 1.5; }
    .msg.user { background: ${colors.user}; margin-left: auto; }
    .msg.bot { background: ${colors.bot}; }
    .msg.agent { background: ${colors.agent}; }
    .msg.system { background: none; color: #4a525c; font-size: .9em; text-align: center; max-width: 100%; }
    .who { display: block; font-size: .8em; color: #4a525c; }
    .msg a { color: #0b47a8; }
    .choices { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 8px; }
    .choices button { border: 1px solid ${colors.primary}; color: #0b47a8; background: #fff; border-radius: 16px; padding: 6px 10px; font-size: .95em; cursor: pointer; text-align: left; }
    .rate { margin-top: 6px; display: flex; gap: 6px; flex-wrap: wrap; }
    .rate button { border: 1px solid #6b7480; background: #fff; color: #1b1f24; border-radius: 12px; padding: 2px 8px; font-size: .85em; cursor: pointer; }
    .contrast .rate button { background: #000; color: #ffef00; border-color: #ffef00; }
    .typing { padding: 0 12px 6px; font-size: .85em; color: #4a525c; min-height: 1.4em; }
    form { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #d5dae0; }
    textarea { flex: 1; resize: none; font-size: 1em; padding: 8px; border: 1px solid #6b7480; border-radius: 8px; min-height: 44px; }
    form button { background: ${colors.primary}; color: ${colors.onPrimary}; border: 0; border-radius: 8px; padding: 0 14px; font-size: 1em; cursor: pointer; min-width: 64px; }
    button:focus-visible, textarea:focus-visible, a:focus-visible { outline: 3px solid #f2b705; outline-offset: 2px; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    .big .panel { font-size: 21px; }
    .contrast .panel { background: #000; color: #fff; border-color: #fff; }
    .contrast header { background: #000; color: #ffef00; border-bottom: 2px solid #ffef00; }
    .contrast .msg.user, .contrast .msg.bot, .contrast .msg.agent { background: #000; color: #fff; border: 2px solid #fff; }
    .contrast .msg.system, .contrast .who, .contrast .typing { color: #ffef00; }
    .contrast .choices button, .contrast textarea { background: #000; color: #ffef00; border-color: #ffef00; }
    .contrast form button, .contrast .launcher { background: #ffef00; color: #000; }
    .contrast .status { background: #000; color: #ffef00; border-color: #ffef00; }
    .contrast .msg a { color: #7fd4ff; }
  `;
  root.innerHTML = `<style>${css}</style>
    <div class="wrap">
      <button class="launcher" type="button" aria-haspopup="dialog">💬 챗봇 상담</button>
      <section class="panel" role="dialog" aria-modal="false" hidden>
        <header>
          <h2></h2>
          <button type="button" class="big-btn" aria-pressed="false">글자 크게</button>
          <button type="button" class="contrast-btn" aria-pressed="false">고대비</button>
          <button type="button" class="close" aria-label="채팅 닫기">닫기</button>
        </header>
        <div class="status" role="status" hidden><span></span><button type="button" class="cancel">연결 취소</button></div>
        <div class="log" role="log" aria-live="polite" aria-label="대화 내용" tabindex="0"></div>
        <div class="typing" aria-live="polite"></div>
        <form>
          <label class="sr" for="minwon-input">메시지 입력</label>
          <textarea id="minwon-input" rows="2" maxlength="10000" placeholder="궁금하신 내용을 적어 주세요"></textarea>
          <button type="submit">보내기</button>
        </form>
        <p class="sr conn" role="status"></p>
      </section>
    </div>`;
  const $ = (s) => root.querySelector(s);
  const wrap = $(".wrap"), panel = $(".panel"), launcher = $(".launcher"), log = $(".log"), input = $("textarea");
  $("h2").textContent = cfg.title;
  panel.setAttribute("aria-label", cfg.title);
  const titleId = "minwon-title";
  $("h2").id = titleId;

  function el(tag, cls, text) { const n = document.createElement(tag); if (cls) n.className = cls; if (text != null) n.textContent = text; return n; }

  function add(entry, remember = true) {
    const li = el("div", "msg " + entry.kind);
    if (entry.who) li.append(el("span", "who", entry.who));
    li.append(document.createTextNode(entry.text));
    if (entry.phone) {
      const a = el("a", null, ` ☎ ${entry.phone} 전화하기`);
      a.href = "tel:" + entry.phone.replace(/[^0-9+]/g, "");
      li.append(el("br"), a);
    }
    log.append(li);
    if (entry.buttons && entry.buttons.length) {
      const box = el("div", "choices");
      box.setAttribute("role", "group"); box.setAttribute("aria-label", "선택지");
      for (const b of entry.buttons) {
        const btn = el("button", null, b.title);
        btn.type = "button";
        btn.addEventListener("click", () => { box.remove(); send(b.payload, b.title); });
        box.append(btn);
      }
      log.append(box);
    }
    log.scrollTop = log.scrollHeight;
    if (remember) { session.log.push(entry); save(); }
  }

  // --- connection ---------------------------------------------------------------
  let lastEntry = null;
  let ws = null, retry = 0, outbox = [], pendingBot = 0;
  function url() { return cfg.server.replace(/^http/, "ws") + "/api/conversations/" + encodeURIComponent(session.id) + "/ws"; }
  function connect() {
    ws = new WebSocket(url());
    ws.onopen = () => { retry = 0; $(".conn").textContent = "연결됨"; const q = outbox; outbox = []; q.forEach((m) => ws.send(m)); };
    ws.onmessage = (e) => { try { onEvent(JSON.parse(e.data)); } catch { /* ignore a broken frame */ } };
    ws.onclose = () => {
      $(".conn").textContent = "연결이 끊겨 다시 연결하는 중입니다";
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 300 * 2 ** retry);
    };
  }
  function post(obj) { const m = JSON.stringify(obj); if (ws && ws.readyState === 1) ws.send(m); else outbox.push(m); }
  let lastQuestion = "";
  function rate(bubble, entryId, question) {
    const box = el("div", "rate");
    box.setAttribute("role", "group"); box.setAttribute("aria-label", "답변 평가");
    for (const [label, helpful] of [["도움이 됐어요", true], ["도움이 안 됐어요", false]]) {
      const b = el("button", null, label); b.type = "button";
      b.addEventListener("click", () => {
        fetch(cfg.server + "/api/conversations/" + encodeURIComponent(session.id) + "/feedback", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ entry_id: entryId, helpful, question, channel: "web" }),
        }).catch(() => {});
        box.replaceChildren(el("span", null, helpful ? "의견 고맙습니다." : "의견 고맙습니다. 더 나은 답변을 준비하겠습니다."));
      });
      box.append(b);
    }
    bubble.append(box);
  }
  function send(text, shown) {
    if (!text.trim()) return;
    if (!text.startsWith("/")) lastQuestion = text;
    add({ kind: "user", text: shown || text });
    pendingBot++; typing("답변을 찾고 있습니다…");
    post({ type: "message", text });
  }

  let typingTimer = null;
  function typing(text, ms) { $(".typing").textContent = text; clearTimeout(typingTimer); if (ms) typingTimer = setTimeout(() => typing(""), ms); }

  function showHandoff(state, note) {
    const bar = $(".status");
    if (!state || !state.active) { bar.hidden = true; if (note) add({ kind: "system", text: note }); return; }
    bar.hidden = false;
    const text = state.status === "claimed" ? "상담원과 대화 중입니다." : (state.wait_text || "상담원 연결을 기다리고 있습니다.");
    bar.querySelector("span").textContent = text;
    bar.querySelector(".cancel").hidden = state.status !== "queued";
    if (note) add({ kind: "system", text: note });
  }

  function onEvent(ev) {
    if (ev.type === "bot") {
      pendingBot = Math.max(0, pendingBot - 1); if (!pendingBot) typing("");
      if (ev.custom && ev.custom.minwon === "answer") {
        // The answer's department phone, as a call link under the answer just shown.
        const bubbles = log.querySelectorAll(".msg.bot");
        const last = bubbles[bubbles.length - 1];
        if (last && lastEntry && ev.custom.phone && !lastEntry.phone) {
          lastEntry.phone = ev.custom.phone; save();
          const a = el("a", null, ` ☎ ${ev.custom.phone} 전화하기`);
          a.href = "tel:" + ev.custom.phone.replace(/[^0-9+]/g, "");
          last.append(el("br"), a);
        }
        if (last && ev.custom.entry_id) rate(last, ev.custom.entry_id, lastQuestion);
        return;
      }
      if (ev.text) { lastEntry = { kind: "bot", text: ev.text, buttons: ev.buttons || [] }; add(lastEntry); }
      else if (ev.custom && ev.custom.handoff) showHandoff(ev.custom.handoff);
    } else if (ev.type === "agent_message") {
      typing(""); add({ kind: "agent", who: "상담원 " + (ev.author || ""), text: ev.text });
    } else if (ev.type === "handoff") {
      showHandoff(ev.state, ev.text);
    } else if (ev.type === "typing" && ev.who === "agent") {
      typing("상담원이 입력 중입니다…", 4000);
    } else if (ev.type === "error") {
      pendingBot = 0; typing(""); add({ kind: "system", text: ev.message });
    }
  }

  // --- controls -------------------------------------------------------------------
  function open() {
    panel.hidden = false; launcher.hidden = true; input.focus();
    if (!ws) connect();
    if (!session.log.length) add({ kind: "bot", text: cfg.greeting });
  }
  function close() { panel.hidden = true; launcher.hidden = false; launcher.focus(); }
  launcher.addEventListener("click", open);
  $(".close").addEventListener("click", close);
  panel.addEventListener("keydown", (e) => { if (e.key === "Escape") close(); });
  $("form").addEventListener("submit", (e) => { e.preventDefault(); const t = input.value; input.value = ""; send(t); });
  input.addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); $("form").requestSubmit(); } });
  let lastTyping = 0;
  input.addEventListener("input", () => { if (Date.now() - lastTyping > 2000) { lastTyping = Date.now(); post({ type: "typing" }); } });
  $(".cancel").addEventListener("click", () => post({ type: "cancel" }));
  function toggle(btn, cls, key) {
    btn.addEventListener("click", () => { session[key] = !session[key]; apply(); save(); });
  }
  function apply() {
    wrap.classList.toggle("big", !!session.big); wrap.classList.toggle("contrast", !!session.contrast);
    $(".big-btn").setAttribute("aria-pressed", String(!!session.big));
    $(".contrast-btn").setAttribute("aria-pressed", String(!!session.contrast));
  }
  toggle($(".big-btn"), "big", "big"); toggle($(".contrast-btn"), "contrast", "contrast"); apply();

  for (const entry of session.log) add(entry, false);
  document.body.append(host);
  window.MinwonChat = { open, close, conversationId: () => session.id, send: (t) => send(t) };
  if (cfg.open || stored) { if (cfg.open) open(); else if (session.log.length) { connect(); } }
})();
