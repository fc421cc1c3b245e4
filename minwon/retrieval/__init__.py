"""Counseling-DB retrieval: lexical BM25 over Kiwi morphemes fused with dense embeddings."""
