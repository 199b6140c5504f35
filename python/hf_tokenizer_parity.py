"""Reference encodings for eto's tokenizer.json parity test, from the `tokenizers` library (Rust). No network.

stdin:  {"tokenizers": {name: tokenizer.json path}, "strings": [...]}
stdout: {name: {"plain": [[ids]], "special": [[ids]], "decoded": [text]}}
  plain:   encode(s, add_special_tokens=False).ids
  special: encode(s, add_special_tokens=True).ids
  decoded: decode(plain ids, skip_special_tokens=False)
"""
from __future__ import annotations

import json
import os
import sys


def main() -> None:
    request = json.load(sys.stdin)
    from tokenizers import Tokenizer

    strings: list[str] = request["strings"]
    out = {}
    for name, path in request["tokenizers"].items():
        tokenizer = Tokenizer.from_file(path)
        plain = [e.ids for e in tokenizer.encode_batch(strings, add_special_tokens=False)]
        special = [e.ids for e in tokenizer.encode_batch(strings, add_special_tokens=True)]
        decoded = tokenizer.decode_batch(plain, skip_special_tokens=False)
        out[name] = {"plain": plain, "special": special, "decoded": decoded}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
