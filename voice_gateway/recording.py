"""Optional call recording (off by default: a recording is personal data). Each side of the
call goes to its own 16 kHz WAV under var/recordings; files older than the retention period
are removed when a new recording starts."""

from __future__ import annotations

import time
import wave
from pathlib import Path

import numpy as np

from minwon.settings import VAR_DIR, get_settings
from voice_gateway.audio import to_int16

RECORDINGS = VAR_DIR / "recordings"


class Recorder:
    def __init__(self, caller_path: Path, bot_path: Path) -> None:
        # Open for the whole call; close() ends them.
        self._caller = wave.open(str(caller_path), "wb")  # noqa: SIM115
        self._bot = wave.open(str(bot_path), "wb")  # noqa: SIM115
        for w in (self._caller, self._bot):
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16_000)

    @classmethod
    def open(cls, call_id: str, folder: Path | None = None) -> Recorder:
        voice = get_settings().voice
        folder = folder or (Path(voice.recording_dir) if voice.recording_dir else RECORDINGS)
        folder.mkdir(parents=True, exist_ok=True)
        purge(folder, voice.recording_retention_days)
        return cls(folder / f"{call_id}-caller.wav", folder / f"{call_id}-bot.wav")

    def caller(self, pcm: np.ndarray) -> None:
        self._caller.writeframes(to_int16(pcm))

    def bot(self, pcm: np.ndarray) -> None:
        self._bot.writeframes(to_int16(pcm))

    def close(self) -> None:
        self._caller.close()
        self._bot.close()


def purge(folder: Path, days: int) -> int:
    cutoff = time.time() - days * 86_400
    gone = 0
    for f in folder.glob("*.wav"):
        if f.stat().st_mtime < cutoff:
            f.unlink(missing_ok=True)
            gone += 1
    return gone
