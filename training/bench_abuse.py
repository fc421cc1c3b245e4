"""Counsellor protection: the abuse detector on held-out data (docs/benchmarks.md).

    source scripts/env.sh && "$SVC_PY" -m training.bench_abuse [--korcen] [--model-only]

Per set: per-class precision/recall, abusive recall (any abusive class caught as abusive),
false-alarm rate (none/distress rows called abusive), and ms per message. Sets: the held-out
splits of curse_detection_2runo and kocohub (training/abuse_data.py) and our written
held-out set (training/abuse/written_heldout.tsv, never trained or tuned on). --korcen also
measures the korcen lexicon (PyPI, Apache-2.0) as an abusive/not detector on the same rows.
--bot [--model x.tar.gz] sends each written held-out row, each in a new conversation, to the
whole bot (API, action server, Rasa: detector + AbuseScreen + Rasa's own abuse intent) and
counts the replies that carry an abuse_warning or conversation_ended marker."""

from __future__ import annotations

import argparse
import time
from collections import Counter

from minwon.abuse.detector import ABUSIVE, LinearDetector, ScreenedDetector
from training import abuse_data

CLASSES = ("insult", "threat", "sexual", "distress", "none")


def report(name: str, rows: list[tuple[str, str]], predict) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    preds = [predict(t) for t, _ in rows]
    ms = (time.perf_counter() - t0) * 1000 / max(1, len(rows))
    gold = [g for _, g in rows]
    pos = [p in ABUSIVE for g, p in zip(gold, preds, strict=True) if g in ABUSIVE]
    neg = [p in ABUSIVE for g, p in zip(gold, preds, strict=True) if g not in ABUSIVE]
    print(f"\n{name}: {len(rows)} rows ({len(pos)} abusive), {ms:.3f} ms/message")
    print(f"  abusive recall {sum(pos) / max(1, len(pos)):.3f} ({sum(pos)}/{len(pos)}), "
          f"false alarms {sum(neg) / max(1, len(neg)):.3f} ({sum(neg)}/{len(neg)})")
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, preds, strict=True):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    for c in CLASSES:
        if tp[c] + fn[c] == 0 and fp[c] == 0:
            continue
        prec = tp[c] / max(1, tp[c] + fp[c])
        rec = tp[c] / max(1, tp[c] + fn[c])
        print(f"  {c:9s} P {prec:.3f}  R {rec:.3f}  (n={tp[c] + fn[c]})")
    misses = [(t, g, p) for (t, g), p in zip(rows, preds, strict=True) if (g in ABUSIVE) != (p in ABUSIVE)]
    if len(rows) < 200:
        for t, g, p in misses:
            print(f"    miss: {g} -> {p}: {t}")


def bot(model: str | None) -> None:
    from pathlib import Path

    from devtools.stack import running_bot

    rows = (abuse_data.written(abuse_data.WRITTEN_HELDOUT) + abuse_data.written(abuse_data.WRITTEN_HELDOUT2)
            + abuse_data.written(abuse_data.WRITTEN_HELDOUT3))
    with running_bot(Path(model) if model else None) as stack:
        def predict(text: str) -> str:
            replies = stack.say(f"bench-abuse-{time.time_ns()}", text)
            kinds = [(r.get("custom") or {}).get("minwon") for r in replies if isinstance(r.get("custom"), dict)]
            if "abuse_warning" in kinds or "conversation_ended" in kinds:
                return "insult"  # the bot's reply says abusive, not which class
            return "distress" if "distress_help" in kinds else "none"

        report("whole bot on the written held-out set (class = abusive or not)", rows, predict)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--korcen", action="store_true")
    ap.add_argument("--bot", action="store_true")
    ap.add_argument("--model-only", action="store_true", help="without the pattern layer")
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    if args.bot:
        bot(args.model)
        return
    model = LinearDetector()
    det = model if args.model_only else ScreenedDetector(model)
    print(f"threshold {det.threshold:.2f}; {'model only' if args.model_only else 'model + patterns'}")
    sets = {
        "written held-out (ours)": abuse_data.written(abuse_data.WRITTEN_HELDOUT),
        "written held-out 2 (ours, written with the second training batch)":
            abuse_data.written(abuse_data.WRITTEN_HELDOUT2),
        "written held-out 3 (ours, written before the pattern layer and third batch; its 3 errors were seen)":
            abuse_data.written(abuse_data.WRITTEN_HELDOUT3),
        "curse_detection_2runo test (20% by hash)": abuse_data.curse("test"),
        "kocohub dev": abuse_data.kocohub("test"),
        "songys chit-chat test (all none)": abuse_data.songys("test"),
    }
    for name, rows in sets.items():
        report(name, rows, lambda t: det.classify(t).label)
    if args.korcen:
        from korcen import korcen  # type: ignore[import-not-found]

        for name, rows in sets.items():
            report(f"korcen on {name}", rows, lambda t: "insult" if korcen.check(t) else "none")


if __name__ == "__main__":
    main()
