#!/usr/bin/env bash
# Installs what is missing and runs the whole test suite (unit tests, then end-to-end
# tests against a real Rasa server, action server and API).
set -euo pipefail
cd "$(dirname "$0")/.."
MINWON_BROWSER=1 MINWON_SIP_PEERS=1 bash scripts/bootstrap.sh rasa svc ml coqui
source scripts/env.sh
"$SVC_PY" -m ruff check .
# The layers contract in pyproject.toml: routes over services over the core, no upward imports.
"$MINWON_ROOT/.venv/svc/bin/lint-imports" --no-cache
"$SVC_PY" -m pytest "$@"
