"""Handoff tickets: the bridge from the bot to a person."""
