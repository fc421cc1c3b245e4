"""python -m voice_gateway.coqui_worker --model DIR: coqui-tts in its own process and venv
(torch is an optional extra the gateway's venv does not carry). Reads one JSON line per
request, ``{"text": "..."}``, and answers with one JSON line, ``{"samples": n, "rate": r}``
or ``{"error": "..."}``, followed by ``n`` little-endian float32 samples.

Only the standard library, numpy and coqui-tts are imported here."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def load(model_dir: Path):  # type: ignore[no-untyped-def]
    """A coqui model directory: config.json and one checkpoint (*.pth)."""
    from TTS.utils.synthesizer import Synthesizer

    config = model_dir / "config.json"
    checkpoints = sorted(model_dir.glob("*.pth"))
    if not config.exists() or not checkpoints:
        raise FileNotFoundError(f"{model_dir} needs config.json and a *.pth checkpoint")
    return Synthesizer(tts_checkpoint=str(checkpoints[0]), tts_config_path=str(config), use_cuda=False)


def main() -> None:
    import numpy as np

    p = argparse.ArgumentParser()
    p.add_argument("--model", type=Path, required=True)
    args = p.parse_args()
    out = sys.stdout.buffer
    try:
        synth = load(args.model)
    except Exception as exc:  # report why, in the protocol, then stop
        out.write((json.dumps({"error": f"model: {exc}"}) + "\n").encode())
        out.flush()
        return
    out.write((json.dumps({"ready": True, "rate": synth.output_sample_rate}) + "\n").encode())
    out.flush()
    for line in sys.stdin.buffer:
        try:
            text = str(json.loads(line)["text"])
            wav = np.asarray(synth.tts(text), dtype="<f4") if text.strip() else np.zeros(0, "<f4")
        except Exception as exc:  # one bad sentence must not end the worker
            out.write((json.dumps({"error": str(exc)[:300]}) + "\n").encode())
            out.flush()
            continue
        out.write((json.dumps({"samples": int(wav.size), "rate": synth.output_sample_rate}) + "\n").encode())
        out.write(wav.tobytes())
        out.flush()


if __name__ == "__main__":
    main()
