"""Builds a random tiny transformers checkpoint of one family/variant, saves it and prints its log-probs.

stdin: a list of {"dir": str, "config": {config.json fields, with "model_type"},
"dtype": "float32"|"float16"|"bfloat16", "max_shard_size": str|null, "ids": [int], "seed": int}. Each is saved
to DIR with save_pretrained in `dtype` and reloaded; stdout is a list of {"logprobs": [log p(ids[t] | ids[<t])
for t >= 1]}, computed in float64 (eager attention) from the stored weights.
Used by src/model/hf-reference.test.ts; no network.
"""

import json
import sys

import torch
from transformers import AutoConfig, AutoModelForCausalLM


def build(request: dict) -> list[float]:
    torch.manual_seed(int(request["seed"]))
    raw = dict(request["config"])
    config = AutoConfig.for_model(raw.pop("model_type"), **raw)
    config._attn_implementation = "eager"
    model = AutoModelForCausalLM.from_config(config)
    with torch.no_grad():  # norms start at 1 and biases at 0; randomise them so the test sees them
        for name, param in model.named_parameters():
            if "norm" in name or name.endswith(".bias"):
                param.add_(torch.randn_like(param) * 0.3)
    dtype = getattr(torch, request["dtype"])
    model.to(dtype)
    shard = request.get("max_shard_size")
    model.save_pretrained(request["dir"], **({"max_shard_size": shard} if shard else {}))
    stored = AutoModelForCausalLM.from_pretrained(request["dir"], dtype=dtype, attn_implementation="eager")
    stored = stored.to(torch.float64).eval()
    ids = torch.tensor([request["ids"]])
    with torch.no_grad():
        logits = stored(ids).logits[0]
    logprobs = torch.log_softmax(logits, dim=-1)[:-1].gather(1, ids[0, 1:, None])[:, 0]
    return logprobs.tolist()


def main() -> None:
    json.dump([{"logprobs": build(request)} for request in json.load(sys.stdin)], sys.stdout)


if __name__ == "__main__":
    main()
