"""The transformers dense backend, with a tiny random BERT the test builds (no download)."""

import json
import subprocess

from tests.stack import ROOT


def test_local_encoder_directory_loads_encodes_and_searches():
    proc = subprocess.run(
        [str(ROOT / ".venv/ml/bin/python"), "-m", "tests.ml_side.transformers_check"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["dim"] == 32 and out["shape"] == [3, 32]
    assert all(abs(n - 1) < 1e-3 for n in out["norms"])
    assert out["deterministic"]
    # BM25 carries the ranking even with random weights: the right entry is found.
    assert out["top"] == "1"
    assert out["name"].startswith("transformers-")
    assert "dense_model_path" in out["missing_path_error"]
