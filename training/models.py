"""The IT staff's CLI for intent models (the steps themselves are minwon/nlu_models.py):

    python -m training.models train [--cv]      # train + evaluate a candidate
    python -m training.models list
    python -m training.models publish NAME      # refused if worse than the active model
    python -m training.models rollback NAME     # back to any earlier published model
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from minwon.errors import MinwonError
from minwon.nlu_models import Registry, evaluate, publish, train
from minwon.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    p = argparse.ArgumentParser(prog="python -m training.models", description="의도 모델 학습·평가·게시")
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="후보 모델 학습과 평가")
    t.add_argument("--cv", action="store_true", help="3겹 교차 검증도 합니다")
    sub.add_parser("list", help="모델 목록")
    for name in ("publish", "rollback"):
        sp = sub.add_parser(name)
        sp.add_argument("name")
    e = sub.add_parser("evaluate", help="모델 하나를 회귀 평가 세트로 평가")
    e.add_argument("model", type=Path)
    args = p.parse_args(argv)
    models_dir = Path(os.environ.get("MINWON_MODELS_DIR", settings.models_dir))
    token = os.environ.get("MINWON_RASA_TOKEN", settings.handoff.rasa_token)
    try:
        if args.cmd == "train":
            print(json.dumps(train(models_dir, args.cv, progress=print), ensure_ascii=False, indent=2))
        elif args.cmd == "evaluate":
            print(json.dumps(evaluate(args.model, Path(tempfile.mkdtemp())), ensure_ascii=False, indent=2))
        elif args.cmd == "list":
            reg = Registry.load(models_dir)
            for m in reg.data["models"]:
                ev = m.get("eval", {})
                gate_reason = m.get("gate", {}).get("reason", "")
                print(f"{m['name']}\t{m['status']}\tacc {ev.get('accuracy')}\tF1 {ev.get('macro_f1')}\t{gate_reason}")
        else:
            m = publish(models_dir, args.name, settings.rasa_url, token, rollback=args.cmd == "rollback")
            print(f"게시했습니다: {m['name']}")
    except (MinwonError, KeyError, RuntimeError) as exc:
        print(str(exc).strip("'\""), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
