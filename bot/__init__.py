"""Rasa-side code of minwon: custom NLU components and channels (loaded by the Rasa server)."""

from bot import speedups

speedups.install()

# Personal data is masked in every log line Rasa writes (tracker debug output included).
from minwon.privacy import install_log_masking  # noqa: E402

install_log_masking()
