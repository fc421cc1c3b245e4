"""Rasa-side code of minwon: custom NLU components and channels (loaded by the Rasa server)."""

from bot import speedups

speedups.install()
