"""Training, evaluation and benchmark tools (run in the services venv)."""
