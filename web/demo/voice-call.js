// "전화로 물어보기": the voicebot from the browser. The microphone goes to the voice
// gateway's media stream as 16 kHz L16 in 20 ms frames (an AudioWorklet does the cutting),
// the bot's audio comes back the same way and plays through a small queue that a "clear"
// (barge-in) empties at once. A keypad sends DTMF; captions show both sides for those who
// cannot hear well. Configure with data-voice-url on the script tag; the demo page also
// takes ?voice=ws://… for testing.
(() => {
  "use strict";
  const script = document.currentScript;
  const RATE = 16000;
  const FRAME = 320;
  const params = new URLSearchParams(location.search);
  const defaultUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.hostname}:8100/media-stream`;
  const url = params.get("voice") || script.dataset.voiceUrl || defaultUrl;

  // One worklet: "capture" cuts the microphone into 20 ms frames; "player" plays queued frames.
  const worklet = `
    class Capture extends AudioWorkletProcessor {
      constructor() { super(); this.buf = new Float32Array(${FRAME}); this.n = 0; }
      process(inputs) {
        const ch = inputs[0] && inputs[0][0];
        if (ch) for (let i = 0; i < ch.length; i++) {
          this.buf[this.n++] = ch[i];
          if (this.n === ${FRAME}) { this.port.postMessage(this.buf.slice()); this.n = 0; }
        }
        return true;
      }
    }
    class Player extends AudioWorkletProcessor {
      constructor() {
        super(); this.queue = []; this.cur = null; this.pos = 0;
        this.port.onmessage = (e) => {
          if (e.data === "clear") { this.queue = []; this.cur = null; } else this.queue.push(e.data);
        };
      }
      process(_in, outputs) {
        const out = outputs[0][0];
        for (let i = 0; i < out.length; i++) {
          if (!this.cur || this.pos >= this.cur.length) { this.cur = this.queue.shift() || null; this.pos = 0; }
          out[i] = this.cur ? this.cur[this.pos++] : 0;
        }
        return true;
      }
    }
    registerProcessor("minwon-capture", Capture);
    registerProcessor("minwon-player", Player);`;

  const el = (tag, attrs = {}, text = "") => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  };

  const panel = el("section", { class: "voice-call", "aria-label": "전화로 물어보기" });
  const call = el("button", { type: "button", class: "voice-start" }, "📞 전화로 물어보기");
  const hang = el("button", { type: "button", class: "voice-hangup", hidden: "" }, "통화 끝내기");
  const status = el("p", { class: "voice-status", role: "status" }, "마이크로 말씀하시면 음성 안내가 답해 드립니다.");
  const captions = el("ol", { class: "voice-captions", "aria-live": "polite", "aria-label": "통화 자막" });
  const pad = el("div", { class: "voice-keypad", role: "group", "aria-label": "전화 키패드", hidden: "" });
  for (const d of "123456789*0#") {
    const b = el("button", { type: "button", "data-digit": d, "aria-label": `키패드 ${d === "*" ? "별표" : d === "#" ? "우물 정자" : d}` }, d);
    pad.append(b);
  }
  panel.append(call, hang, status, pad, captions);
  (document.querySelector("[data-voice-call]") || document.body).append(panel);

  let ws = null;
  let ctx = null;
  let stream = null;
  let player = null;

  const caption = (role, text) => {
    const li = el("li", { class: role }, `${role === "bot" ? "안내" : "나"}: ${text}`);
    captions.append(li);
    while (captions.children.length > 20) captions.firstChild.remove();
  };

  const toBase64 = (f32) => {
    const pcm = new Int16Array(f32.length);
    for (let i = 0; i < f32.length; i++) pcm[i] = Math.max(-1, Math.min(1, f32[i])) * 0x7fff;
    let s = "";
    const bytes = new Uint8Array(pcm.buffer);
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  };
  const fromBase64 = (b64) => {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length & ~1);
    for (let i = 0; i < bytes.length; i++) bytes[i] = bin.charCodeAt(i);
    const pcm = new Int16Array(bytes.buffer);
    const out = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) out[i] = pcm[i] / 0x8000;
    return out;
  };

  const end = (why) => {
    if (ws && ws.readyState <= 1) { try { ws.send(JSON.stringify({ event: "stop" })); } catch (_) { /* closing */ } ws.close(); }
    ws = null;
    if (stream) stream.getTracks().forEach((t) => t.stop());
    if (ctx) ctx.close();
    stream = ctx = player = null;
    call.hidden = false; hang.hidden = true; pad.hidden = true;
    status.textContent = why;
    call.focus();
  };

  call.addEventListener("click", async () => {
    call.hidden = true;
    status.textContent = "연결하고 있습니다…";
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, channelCount: 1 } });
      ctx = new AudioContext({ sampleRate: RATE });
      await ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([worklet], { type: "text/javascript" })));
    } catch (err) {
      end("마이크를 쓸 수 없어 전화를 걸 수 없습니다. 브라우저에서 마이크 사용을 허용해 주세요.");
      return;
    }
    const capture = new AudioWorkletNode(ctx, "minwon-capture");
    player = new AudioWorkletNode(ctx, "minwon-player");
    player.connect(ctx.destination);
    ctx.createMediaStreamSource(stream).connect(capture);
    ws = new WebSocket(url);
    ws.onopen = () => {
      ws.send(JSON.stringify({ event: "start", start: { streamSid: `web-${Date.now()}`, transport: "browser",
        mediaFormat: { encoding: "audio/l16", sampleRate: RATE, channels: 1 } } }));
      capture.port.onmessage = (e) => {
        if (ws && ws.readyState === 1) ws.send(JSON.stringify({ event: "media", media: { payload: toBase64(e.data) } }));
      };
      hang.hidden = false; pad.hidden = false;
      status.textContent = "통화 중입니다. 궁금하신 내용을 말씀해 주세요.";
      hang.focus();
    };
    ws.onmessage = (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch (_) { return; }
      if (msg.event === "media" && player) player.port.postMessage(fromBase64(msg.media.payload));
      else if (msg.event === "clear" && player) player.port.postMessage("clear");
      else if (msg.event === "transcript") caption(msg.role === "bot" ? "bot" : "me", msg.text);
      else if (msg.event === "started") panel.dataset.callId = msg.callId;
      else if (msg.event === "hangup") end("통화가 끝났습니다. 이용해 주셔서 감사합니다.");
    };
    ws.onerror = () => end("음성 안내에 연결하지 못했습니다. 잠시 후 다시 걸어 주세요.");
    ws.onclose = () => { if (ws) end("통화가 끝났습니다."); };
  });
  hang.addEventListener("click", () => end("통화를 끝냈습니다."));
  pad.addEventListener("click", (e) => {
    const d = e.target.closest("button[data-digit]");
    if (d && ws && ws.readyState === 1) {
      ws.send(JSON.stringify({ event: "dtmf", dtmf: { digit: d.dataset.digit } }));
      caption("me", `[키패드 ${d.dataset.digit}]`);
    }
  });
})();
