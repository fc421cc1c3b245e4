"""Helpers that start and drive the real parts (API, action server, Rasa, voice gateway),
shared by the end-to-end tests (tests/) and the benchmarks (training/bench_*.py), so the
benchmarks no longer import tests/."""
