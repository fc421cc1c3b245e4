"""Rasa-side code of minwon: custom NLU components and channels (loaded by the Rasa server)."""
