"""Reference tokenizations for eto's GGUF import parity test (no network).

stdin: {"tokenizer_json": path, "gguf": path, "strings": [...], "conversations": [[{role, content}, ...], ...]}
stdout: {"tokenizers": [[ids]], "transformers_gguf": [[ids]], "llama_cpp": [[ids]] | null,
         "chat_dir": [text], "chat_gguf": [text], "llama_cpp_error": str | null}
  tokenizers:        the `tokenizers` library on eto's tokenizer.json (no special post-processing)
  transformers_gguf: AutoTokenizer.from_pretrained(dir, gguf_file=...) on the original GGUF
  llama_cpp:         Llama(gguf, vocab_only=True).tokenize(text, add_bos=False, special=True)
  chat_*:            apply_chat_template(tokenize=False) of the imported dir and of the GGUF
Without "gguf" in the request only "tokenizers" is computed.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def main() -> None:
    request: dict[str, Any] = json.load(sys.stdin)
    strings: list[str] = request["strings"]
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    ours = Tokenizer.from_file(request["tokenizer_json"])
    out: dict[str, Any] = {"tokenizers": [e.ids for e in ours.encode_batch(strings, add_special_tokens=False)]}
    if "gguf" not in request:
        json.dump(out, sys.stdout)
        return
    gguf = Path(request["gguf"])
    reference = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    out["transformers_gguf"] = [reference.encode(s, add_special_tokens=False) for s in strings]
    imported = AutoTokenizer.from_pretrained(str(Path(request["tokenizer_json"]).parent))
    conversations = request.get("conversations", [])
    out["chat_dir"] = [imported.apply_chat_template(c, tokenize=False) for c in conversations]
    out["chat_gguf"] = [reference.apply_chat_template(c, tokenize=False) for c in conversations]
    out["llama_cpp"], out["llama_cpp_error"] = None, None
    try:
        from llama_cpp import Llama

        llm = Llama(model_path=str(gguf), vocab_only=True, verbose=False)
        out["llama_cpp"] = [llm.tokenize(s.encode("utf-8"), add_bos=False, special=True) for s in strings]
    except ImportError as error:
        out["llama_cpp_error"] = f"llama_cpp is not importable ({error})"
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
