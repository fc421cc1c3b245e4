"""minwon: shared core of the Korean public call-centre self-service bot."""

import os

# Per-query work is small matrix-vector products between e5 encodings. On two cores,
# OpenBLAS worker threads fight the encoder's OpenMP threads and the p95 of a question
# went from ~25 ms to ~130 ms (docs/benchmarks.md). One BLAS thread avoids that.
# Must be set before numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
