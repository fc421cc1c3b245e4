"""minwon's own web service (port 8000): knowledge and handoff APIs; console and admin
pages join it in later issues."""
