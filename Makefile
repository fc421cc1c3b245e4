# minwon: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
ENV := source scripts/env.sh &&

.PHONY: run test bootstrap train shell user eval-retrieval eval-dialogue bench lint transcribe

run:            ## install what is missing, train if needed, start everything
	bash scripts/run.sh

test:           ## install what is missing and run the whole test suite
	bash scripts/test.sh

bootstrap:
	bash scripts/bootstrap.sh

train: bootstrap
	bash scripts/train.sh

shell: bootstrap  ## chat in the terminal (needs `make run` in another terminal for the API and actions)
	$(ENV) "$$RASA_BIN" shell --model "$$MINWON_MODELS_DIR" --endpoints endpoints.yml --port 5006

user:           ## make user NAME=<username> ROLE=counsellor|supervisor|knowledge_manager|admin (asks the password)
	@test -n "$(NAME)" || { echo "usage: make user NAME=<username> [ROLE=counsellor] [DISPLAY=<이름>]"; exit 2; }
	@$(ENV) "$$SVC_PY" -m minwon.auth add-user "$(NAME)" --role "$(or $(ROLE),counsellor)" --name "$(DISPLAY)"

eval-retrieval: bootstrap  ## make eval-retrieval DB=<db.csv> QUERIES=<queries.csv>
	@test -n "$(DB)" -a -n "$(QUERIES)" || { echo "usage: make eval-retrieval DB=<db.csv> QUERIES=<queries.csv>"; exit 2; }
	@$(ENV) "$$SVC_PY" -m training.eval_retrieval --db "$(DB)" --queries "$(QUERIES)"

eval-dialogue: bootstrap  ## make eval-dialogue [DIALOGUES=file.yml] [RASA_URL=http://127.0.0.1:5005]
	@$(ENV) "$$SVC_PY" -m training.eval_dialogue $(if $(DIALOGUES),--dialogues "$(DIALOGUES)") $(if $(RASA_URL),--rasa-url "$(RASA_URL)") -v

bench: bootstrap ## all benchmarks; figures go to docs/benchmarks.md by hand
	$(ENV) "$$SVC_PY" -m training.bench_parakqc
	$(ENV) "$$SVC_PY" -m training.eval_retrieval --db knowledge/sample_data/counseling_db.csv --queries knowledge/sample_data/heldout_questions.csv
	$(ENV) "$$SVC_PY" -m training.bench_retrieval
	$(ENV) "$$SVC_PY" -m training.bench_chat
	$(ENV) "$$SVC_PY" -m training.bench_vocabulary
	$(ENV) "$$SVC_PY" -m training.bench_voice_abuse
	$(ENV) "$$SVC_PY" -m training.bench_kakao
	$(ENV) "$$SVC_PY" -m training.bench_handoff
	$(ENV) "$$SVC_PY" -m training.bench_voice
	$(ENV) "$$SVC_PY" -m training.bench_stt_real --n 40 --codecs mulaw
	$(ENV) "$$SVC_PY" -m training.bench_abuse
	$(ENV) "$$SVC_PY" -m training.eval_dialogue

transcribe: bootstrap  ## make transcribe AUDIO="a.wav b.wav" [CODEC=l16|mulaw|alaw]: the call's recognition path, one JSON line per file
	@test -n "$(AUDIO)" || { echo 'usage: make transcribe AUDIO="a.wav b.wav" [CODEC=l16|mulaw|alaw]'; exit 2; }
	@$(ENV) "$$SVC_PY" -m voice_gateway.transcribe --codec "$(or $(CODEC),mulaw)" $(AUDIO)

lint: bootstrap
	.venv/svc/bin/ruff check .
