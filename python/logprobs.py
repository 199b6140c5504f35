"""Per-token log-probs and greedy continuations from transformers, float32 on CPU (no network).

stdin:  {"model": DIR, "gguf_file": optional file name inside DIR, "sequences": [[ids]],
         "greedy_prompts": optional [[ids]], "max_new_tokens": optional int (default 20)}
stdout: {"logprobs": [[log p(ids[t] | ids[<t]) for t = 1 .. T-1]], "greedy": [[new ids]]}
"""
from __future__ import annotations

import json
import sys
from typing import Any

import torch
from transformers import AutoModelForCausalLM


def main() -> None:
    request: dict[str, Any] = json.load(sys.stdin)
    torch.set_grad_enabled(False)
    extra = {"gguf_file": request["gguf_file"]} if request.get("gguf_file") else {}
    model = AutoModelForCausalLM.from_pretrained(request["model"], dtype=torch.float32, **extra).eval()
    logprobs: list[list[float]] = []
    for ids in request["sequences"]:
        tokens = torch.tensor([ids])
        log_softmax = torch.log_softmax(model(tokens).logits[0, :-1].double(), dim=-1)  # (T-1, V)
        logprobs.append(log_softmax.gather(1, tokens[0, 1:, None])[:, 0].tolist())
    greedy: list[list[int]] = []
    for ids in request.get("greedy_prompts", []):
        out = model.generate(torch.tensor([ids]), max_new_tokens=request.get("max_new_tokens", 20), do_sample=False,
                             pad_token_id=model.config.pad_token_id)
        greedy.append(out[0, len(ids):].tolist())
    json.dump({"logprobs": logprobs, "greedy": greedy}, sys.stdout)


if __name__ == "__main__":
    main()
