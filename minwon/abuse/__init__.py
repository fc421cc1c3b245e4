"""Counsellor protection: telling abuse, threats and sexual harassment from angry citizens,
counting strikes per conversation and per citizen, and the incident record."""
