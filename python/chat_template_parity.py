"""Reference chat-template renders for eto's chat-template parity test (no network).

stdin:  {"dir": path, "chat_template": str | null, "conversations": [[{role, content}, ...], ...], "masks": bool}
stdout: {"rendered": [text], "prompts": [text], "input_ids": [[ids]], "assistant_masks": [[0|1]] | null}
  rendered:        apply_chat_template(c, tokenize=False) of each whole conversation
  prompts:         the same with add_generation_prompt=True, for c without its last message
  input_ids:       apply_chat_template(c, tokenize=True) (the rendered text, no special tokens added)
  assistant_masks: return_assistant_tokens_mask=True (templates with {% generation %} blocks only)
"chat_template" overrides the directory's template (transformers' chat_template= argument).
"""
from __future__ import annotations

import json
import os
import sys
from typing import Any


def main() -> None:
    request: dict[str, Any] = json.load(sys.stdin)
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(request["dir"])
    template = request.get("chat_template")
    conversations = request["conversations"]
    out: dict[str, Any] = {
        "rendered": [tokenizer.apply_chat_template(c, chat_template=template, tokenize=False) for c in conversations],
        "prompts": [
            tokenizer.apply_chat_template(c[:-1], chat_template=template, tokenize=False, add_generation_prompt=True)
            for c in conversations
        ],
        "input_ids": [],
        "assistant_masks": [] if request.get("masks") else None,
    }
    for c in conversations:
        encoded = tokenizer.apply_chat_template(
            c,
            chat_template=template,
            tokenize=True,
            return_dict=True,
            return_assistant_tokens_mask=bool(request.get("masks")),
        )
        out["input_ids"].append(list(encoded["input_ids"]))
        if request.get("masks"):
            out["assistant_masks"].append(list(encoded["assistant_masks"]))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    main()
