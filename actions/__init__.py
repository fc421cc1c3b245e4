"""Custom actions (rasa-sdk action server, port 5055). They reach the counseling DB and
the handoff queue through minwon's HTTP API, so the Rasa venv needs no database code."""
