"""Run in the ml venv: build a tiny random BERT with a character vocabulary, save it as a
local encoder directory, load it through minwon's transformers backend, index and search.
Prints one JSON line."""

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from transformers import BertConfig, BertModel, BertTokenizer

from minwon.retrieval.documents import EntryDoc
from minwon.retrieval.embeddings import EmbeddingStore
from minwon.retrieval.encoders import make_encoder
from minwon.retrieval.index import SearchIndex

QUESTIONS = ["시내버스 첫차 시간", "수도요금 자동이체 신청", "여권 재발급 준비물"]


def build(directory: Path) -> None:
    chars = sorted({c for q in [*QUESTIONS, "query: 버스첫차몇시"] for c in q if not c.isspace()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizer(str(directory / "vocab.txt"), do_lower_case=False, tokenize_chinese_chars=False)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64)
    BertModel(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        build(directory)
        encoder = make_encoder("transformers", str(directory))
        vecs = encoder.encode(QUESTIONS)
        again = encoder.encode(QUESTIONS[:1])
        docs = [EntryDoc(id=str(i), question=q) for i, q in enumerate(QUESTIONS)]
        index = SearchIndex(docs, EmbeddingStore(encoder))
        hits = index.search("수도요금 자동이체", encoder.encode(["수도요금 자동이체"])[0], k=3)
        try:
            make_encoder("transformers", None)
            missing_path_error = ""
        except ValueError as exc:
            missing_path_error = str(exc)
    print(json.dumps({
        "dim": encoder.dim, "shape": list(vecs.shape),
        "norms": np.linalg.norm(vecs, axis=1).round(4).tolist(),
        "deterministic": bool(np.allclose(vecs[0], again[0], atol=1e-5)),
        "top": hits[0].entry.id, "name": encoder.name, "missing_path_error": missing_path_error,
    }, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
