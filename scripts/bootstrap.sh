#!/usr/bin/env bash
# Installs whatever is missing for minwon on a fresh Debian machine: system packages,
# the Rasa venv (Python 3.10) and the services venv (Python 3.11). Idempotent: a venv is
# rebuilt only when its lock file changes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PY310=${MINWON_PY310:-/root/.pyenv/versions/3.10.13/bin/python}
PY311=${MINWON_PY311:-$(command -v python3.11 || command -v python3)}

log() { printf '[bootstrap] %s\n' "$*" >&2; }

apt_needed=()
command -v java >/dev/null 2>&1 || apt_needed+=(default-jre-headless)   # KoNLPy runs on a JVM
command -v sqlite3 >/dev/null 2>&1 || apt_needed+=(sqlite3)
command -v espeak-ng >/dev/null 2>&1 || apt_needed+=(espeak-ng)   # the voicebot's default voice
# Browser tests (MINWON_BROWSER=1, set by the test command): Debian's Chromium and its
# driver, and a Korean font so screenshots show Hangul.
if [ "${MINWON_BROWSER:-0}" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || apt_needed+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || apt_needed+=(chromium-driver)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || apt_needed+=(fonts-noto-cjk)
fi
# Telephony tests (MINWON_SIP_PEERS=1, set by the test command): real SIP peers that dial
# the gateway — SIPp (sip-tester) for scripted calls and baresip as a softphone.
if [ "${MINWON_SIP_PEERS:-0}" = 1 ]; then
  command -v sipp >/dev/null 2>&1 || apt_needed+=(sip-tester)
  command -v baresip >/dev/null 2>&1 || apt_needed+=(baresip-core)
fi
if [ "${#apt_needed[@]}" -gt 0 ]; then
  log "apt-get install ${apt_needed[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_needed[@]}" >/dev/null
fi

make_venv() {  # name python lockfile
  local name=$1 py=$2 lock=$3 dir="$ROOT/.venv/$1"
  local want; want=$(sha256sum "$lock" | cut -d' ' -f1)
  if [ -f "$dir/.lock-sha" ] && [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.lock-sha")" = "$want" ]; then
    return 0
  fi
  if [ ! -x "$py" ]; then
    log "missing interpreter $py for the $name venv"; exit 1
  fi
  log "building .venv/$name from $lock (a few minutes the first time)"
  rm -rf "$dir"
  "$py" -m venv "$dir"
  # The machine's pip config lists local wheel folders that may not exist: hide that noise.
  "$dir/bin/pip" install -q --upgrade pip 2> >(grep -v "is ignored: it is neither" >&2)
  "$dir/bin/pip" install -q --no-deps -r "$lock" 2> >(grep -v "is ignored: it is neither" >&2)
  "$dir/bin/pip" check
  echo "$want" > "$dir/.lock-sha"
}

# Which venvs: rasa and svc always; ml (torch + transformers, to test the transformers
# encoder backend with a model the test builds) and coqui (coqui-tts, the optional TTS
# engine, tested with a VITS the test builds) when asked for, e.g. by the test suite.
for venv in "${@:-rasa svc}"; do
  for name in $venv; do
    case "$name" in
      rasa) make_venv rasa "$PY310" requirements/rasa.lock.txt ;;
      svc) make_venv svc "$PY311" requirements/svc.lock.txt ;;
      ml) make_venv ml "$PY311" requirements/ml.lock.txt ;;
      coqui) make_venv coqui "$PY311" requirements/coqui.lock.txt ;;  # optional TTS engine
      *) log "unknown venv $name"; exit 2 ;;
    esac
  done
done
# axe-core for the accessibility checks in the browser tests (npm, pinned in web/package-lock.json).
if [ "${MINWON_BROWSER:-0}" = 1 ]; then
  want=$(sha256sum web/package-lock.json | cut -d' ' -f1)
  if [ ! -f web/node_modules/.lock-sha ] || [ "$(cat web/node_modules/.lock-sha)" != "$want" ]; then
    log "npm ci in web/ (axe-core for browser tests)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error) && echo "$want" > web/node_modules/.lock-sha
  fi
fi
log "environments ready"
