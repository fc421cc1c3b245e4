"""Rasa input channels of minwon (registered in credentials.yml)."""
