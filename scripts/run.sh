#!/usr/bin/env bash
# Runs the whole bot on embedded defaults: installs what is missing, trains if no model
# exists, starts our API, the action server and Rasa, and prints where they listen.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${MINWON_SKIP_BOOTSTRAP:-0}" = 1 ] || bash scripts/bootstrap.sh
source scripts/env.sh
LOG=${MINWON_LOG_DIR:-var/log}
mkdir -p "$LOG"

if ! ls "$MINWON_MODELS_DIR"/*.tar.gz >/dev/null 2>&1; then
  echo "[run] no trained model in $MINWON_MODELS_DIR: training one (about a minute)"
  bash scripts/train.sh
fi

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

wait_http() {  # url name seconds
  for _ in $(seq 1 "$3"); do
    if curl -fsS -o /dev/null "$1"; then return 0; fi
    sleep 1
  done
  echo "[run] $2 did not come up at $1; see $LOG/" >&2; exit 1
}

"$SVC_PY" -m minwon.sealing init >/dev/null
"$SVC_PY" -m api > "$LOG/api.log" 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$MINWON_API_PORT/health" "API" 180
# The action server takes forged trackers from anyone who reaches it and Rasa's REST webhook
# speaks as any sender id: both on loopback by default (rasa-sdk reads its host from
# SANIC_HOST); no CORS, the widget talks to our API only.
SANIC_HOST="$MINWON_ACTION_BIND" "$RASA_BIN" run actions --actions actions --port "$MINWON_ACTION_PORT" > "$LOG/actions.log" 2>&1 & pids+=($!)
"$RASA_BIN" run --enable-api --auth-token "$MINWON_RASA_TOKEN" -i "$MINWON_RASA_BIND" --port "$MINWON_RASA_PORT" --model "$MINWON_MODELS_DIR" \
  --endpoints endpoints.yml --credentials credentials.yml > "$LOG/rasa.log" 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$MINWON_ACTION_PORT/health" "action server" 120
wait_http "http://127.0.0.1:$MINWON_RASA_PORT/status?token=$MINWON_RASA_TOKEN" "Rasa" 300
VOICE_PORT=${MINWON_VOICE__PORT:-8100}
SIP_PORT=${MINWON_VOICE__SIP_PORT:-5060}
if [ "${MINWON_RUN_VOICE:-1}" = 1 ]; then
  "$SVC_PY" -m voice_gateway > "$LOG/voice.log" 2>&1 & pids+=($!)
  wait_http "http://127.0.0.1:$VOICE_PORT/health" "voice gateway" 180
fi

cat <<TXT
minwon is running (logs in $LOG/; Rasa and the action server on $MINWON_RASA_BIND / $MINWON_ACTION_BIND):
  Rasa            http://127.0.0.1:$MINWON_RASA_PORT   REST: POST /webhooks/rest/webhook {"sender":"me","message":"여권 재발급 준비물"}
  action server   http://127.0.0.1:$MINWON_ACTION_PORT
  web services    http://127.0.0.1:$MINWON_API_PORT    (API docs: /docs)
  counsellor console  http://127.0.0.1:$MINWON_API_PORT/console/
  knowledge admin http://127.0.0.1:$MINWON_API_PORT/admin/
  web chat demo   http://127.0.0.1:$MINWON_API_PORT/demo/   (widget: /widget/minwon-chat.js)
  voice gateway   ws://127.0.0.1:$VOICE_PORT/media-stream   SIP udp/$SIP_PORT (RTP udp/${MINWON_VOICE__RTP_PORT_MIN:-16000}-${MINWON_VOICE__RTP_PORT_MAX:-16999})
                  call from the browser: the demo page's "전화로 물어보기" button
  KakaoTalk skill POST http://127.0.0.1:$MINWON_API_PORT/webhooks/kakao/webhook   X-Skill-Token: $KAKAO_SKILL_TOKEN
$(if [ -f var/admin_password.txt ]; then echo "    first login: admin / $(cat var/admin_password.txt)  (var/admin_password.txt; add users: make user NAME=<username> ROLE=counsellor)"; fi)
Chat in the terminal:  make shell      Stop: Ctrl-C
TXT
wait -n "${pids[@]}"
