# Shared environment for minwon's scripts (sourced, not run).
MINWON_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export MINWON_ROOT
export PYTHONPATH="$MINWON_ROOT${PYTHONPATH:+:$PYTHONPATH}"
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=2
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore::DeprecationWarning}"
export MINWON_API_PORT=${MINWON_API_PORT:-8000}
export MINWON_RASA_PORT=${MINWON_RASA_PORT:-5005}
export MINWON_ACTION_PORT=${MINWON_ACTION_PORT:-5055}
export MINWON_API_URL=${MINWON_API_URL:-http://127.0.0.1:$MINWON_API_PORT}
export MINWON_RASA_TRACKER_DB=${MINWON_RASA_TRACKER_DB:-$MINWON_ROOT/var/rasa_tracker.sqlite3}
export MINWON_MODELS_DIR=${MINWON_MODELS_DIR:-$MINWON_ROOT/models}
RASA_PY="$MINWON_ROOT/.venv/rasa/bin/python"
SVC_PY="$MINWON_ROOT/.venv/svc/bin/python"
RASA_BIN="$MINWON_ROOT/.venv/rasa/bin/rasa"
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
# Key that seals personal data (see minwon/sealing.py) and the token of Rasa's HTTP API;
# both generated once into var/ unless the deployment sets them.
export MINWON_DATA_KEY_FILE=${MINWON_DATA_KEY_FILE:-$MINWON_ROOT/var/data.key}
if [ -z "${MINWON_RASA_TOKEN:-}" ]; then
  mkdir -p "$MINWON_ROOT/var"
  [ -s "$MINWON_ROOT/var/rasa_token" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$MINWON_ROOT/var/rasa_token")
  MINWON_RASA_TOKEN=$(cat "$MINWON_ROOT/var/rasa_token")
fi
export MINWON_RASA_TOKEN
export MINWON_HANDOFF__RASA_TOKEN=${MINWON_HANDOFF__RASA_TOKEN:-$MINWON_RASA_TOKEN}
export MINWON_RASA_URL=${MINWON_RASA_URL:-http://127.0.0.1:$MINWON_RASA_PORT}
# The KakaoTalk skill's shared secret (Open Builder sends it as X-Skill-Token).
if [ -z "${KAKAO_SKILL_TOKEN:-}" ]; then
  [ -s "$MINWON_ROOT/var/kakao_skill_token" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$MINWON_ROOT/var/kakao_skill_token")
  KAKAO_SKILL_TOKEN=$(cat "$MINWON_ROOT/var/kakao_skill_token")
fi
export KAKAO_SKILL_TOKEN
# The token of our API's internal routes (api/service_auth.py), held by the action server,
# the Rasa side and the voice gateway.
if [ -z "${MINWON_SERVICE_TOKEN:-}" ]; then
  mkdir -p "$MINWON_ROOT/var"
  [ -s "$MINWON_ROOT/var/service_token" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$MINWON_ROOT/var/service_token")
  MINWON_SERVICE_TOKEN=$(cat "$MINWON_ROOT/var/service_token")
fi
export MINWON_SERVICE_TOKEN
# Where Rasa and the action server listen: loopback unless a deployment says otherwise
# (docs/operations.md: what to put behind the reverse proxy).
export MINWON_RASA_BIND=${MINWON_RASA_BIND:-127.0.0.1}
export MINWON_ACTION_BIND=${MINWON_ACTION_BIND:-127.0.0.1}
