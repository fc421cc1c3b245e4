"""Custom actions (rasa-sdk action server, port 5055). They reach the counseling DB and
the handoff queue through minwon's HTTP API, so the Rasa venv needs no database code."""

from minwon.privacy import install_log_masking

# Personal data is masked in every log line the action server writes.
install_log_masking()
