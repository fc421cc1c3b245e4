"""Dialogue cues shared by the Rasa side and our services."""
