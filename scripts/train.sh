#!/usr/bin/env bash
# Trains the Rasa model: intent examples for ask_question come from the counseling DB
# (every phrasing of every active entry), the rest from nlu_data/ and stories/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MINWON_ROOT"
mkdir -p var "$MINWON_MODELS_DIR"
"$SVC_PY" -m training.build_nlu --out nlu_data/generated/faq.yml
"$RASA_BIN" train --data nlu_data stories --config config.yml --domain domain.yml \
  --out "$MINWON_MODELS_DIR" --fixed-model-name "${MINWON_MODEL_NAME:-minwon}" "$@"
