"""Evaluate the bot's retriever on any counseling DB and query set.

    make eval-retrieval DB=<db.csv> QUERIES=<queries.csv>

DB CSV: at least ``id,category,question,answer`` (+ optional ``alt_questions``, phrasings
separated by ``|``), UTF-8 or CP949. Queries CSV: ``query,expected_entry_id``; an empty
expected id means the query must not be answered from this DB.

The DB is indexed from scratch with the same retriever, calibration and thresholds the bot
uses. The last line printed is one JSON object with the metrics.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from pathlib import Path

import numpy as np

from minwon.knowledge.files import read_path
from minwon.knowledge.rows import parse_rows
from minwon.retrieval.documents import EntryDoc
from minwon.retrieval.retriever import Retriever
from minwon.settings import get_settings
from minwon.text import decode_bytes


def load_db(path: Path) -> list[EntryDoc]:
    rows, errors = parse_rows(read_path(path))
    for e in errors[:20]:
        print(f"DB: {e}", file=sys.stderr)
    if len(errors) > 20:
        print(f"DB: … {len(errors) - 20} more row errors", file=sys.stderr)
    return [
        EntryDoc(
            id=r.id, question=r.question, alt_questions=tuple(r.alt_questions), answer=r.answer,
            spoken_answer=r.spoken_answer, category=r.category, subcategory=r.subcategory,
            department=r.department, phone=r.phone, needs_human=r.needs_human,
            keywords=tuple(r.keywords), valid_from=r.valid_from, valid_to=r.valid_to,
        )
        for r in rows
    ]


def load_queries(path: Path) -> list[tuple[str, str]]:
    text = decode_bytes(path.read_bytes())
    reader = csv.DictReader(io.StringIO(text, newline=""))
    names = [n.strip().lower() for n in reader.fieldnames or []]
    if "query" not in names:
        raise SystemExit(f"{path}: needs a 'query' column (and 'expected_entry_id')")
    reader.fieldnames = names
    return [
        ((r.get("query") or "").strip(), (r.get("expected_entry_id") or "").strip())
        for r in reader
        if (r.get("query") or "").strip()
    ]


def evaluate(docs: list[EntryDoc], queries: list[tuple[str, str]], retriever: Retriever,
             verbose: bool = False) -> dict[str, float]:
    retriever.build(docs)
    known = {d.id for d in docs}
    by_id = {d.id: d for d in docs}
    n_in = n_out = 0
    top1 = top3 = answered_correct = clarified_correct = answered_wrong = rejected = 0
    right_category = 0
    ood_answered = ood_clarified = 0
    times = []
    for query, expected in queries:
        t0 = time.perf_counter()
        decision = retriever.ask(query)
        times.append((time.perf_counter() - t0) * 1000)
        ranked = [c.entry.id for c in decision.candidates]
        if expected:
            if expected not in known:
                print(f"query {query!r}: expected id {expected!r} is not in the DB", file=sys.stderr)
            n_in += 1
            top1 += ranked[:1] == [expected]
            top3 += expected in ranked[:3]
            want = by_id.get(expected)
            right_category += bool(
                want is not None and decision.candidates
                and decision.candidates[0].entry.category == want.category
            )
            if decision.kind == "answer":
                ok = ranked[0] == expected
                answered_correct += ok
                answered_wrong += not ok
            elif decision.kind == "clarify":
                clarified_correct += expected in [c.entry.id for c in decision.choices]
            else:
                rejected += 1
        else:
            n_out += 1
            ood_answered += decision.kind == "answer"
            ood_clarified += decision.kind == "clarify"
        if verbose:
            print(f"{decision.kind}\t{expected}\t{ranked[:3]}\t{query}")
    share = (lambda x, n: round(x / n, 4) if n else None)  # noqa: E731
    th = retriever.thresholds
    return {
        "entries": len(docs),
        "in_domain_queries": n_in,
        "ood_queries": n_out,
        "in_domain_top1": share(top1, n_in),
        "in_domain_top3": share(top3, n_in),
        "answered_correct": share(answered_correct, n_in),
        "clarified_with_correct": share(clarified_correct, n_in),
        # The right entry was answered, or offered among the clarification's choices.
        "answered_or_offered": share(answered_correct + clarified_correct, n_in),
        "answered_wrong": share(answered_wrong, n_in),
        # Wrong answers over every query: a wrong entry, or any answer to a topic-less one.
        "answered_wrong_all": share(answered_wrong + ood_answered, n_in + n_out),
        "right_category": share(right_category, n_in),
        "rejected": share(rejected, n_in),
        "ood_answered": share(ood_answered, n_out),
        "ood_clarified": share(ood_clarified, n_out),
        "p50_ms": round(float(np.percentile(times, 50)), 2) if times else None,
        "p95_ms": round(float(np.percentile(times, 95)), 2) if times else None,
        "answer_threshold": round(th.answer, 4),
        "clarify_threshold": round(th.clarify, 4),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--verbose", action="store_true", help="one line per query")
    args = parser.parse_args(argv)
    settings = get_settings()
    # No database: nothing is cached from earlier runs, the DB is indexed from scratch.
    retriever = Retriever.from_settings(settings.retrieval, None, settings.offtopic_calibration)
    docs = load_db(args.db)
    if not docs:
        raise SystemExit(f"{args.db}: no valid entries")
    metrics = evaluate(docs, load_queries(args.queries), retriever, verbose=args.verbose)
    print(json.dumps(metrics, ensure_ascii=False))


if __name__ == "__main__":
    main()
