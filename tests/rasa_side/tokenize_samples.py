"""Run in the Rasa venv: tokenize samples with KoreanTokenizer and print JSON.

    .venv/rasa/bin/python -m tests.rasa_side.tokenize_samples kiwi "text" ...
"""

import json
import sys

from rasa.shared.nlu.training_data.message import Message

from bot.components.korean_tokenizer import KoreanTokenizer


def main() -> None:
    analyzer, texts = sys.argv[1], sys.argv[2:]
    tok = KoreanTokenizer({**KoreanTokenizer.get_default_config(), "analyzer": analyzer})
    out = []
    for text in texts:
        tokens = tok.tokenize(Message(data={"text": text}), "text")
        out.append([[t.text, t.start, t.end, t.get("pos")] for t in tokens])
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
