"""Citizen channels our API fronts (KakaoTalk skill gateway, outbound senders)."""
