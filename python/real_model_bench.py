"""transformers' side of `npm run bench -- real-model`: tokens/s of SmolLM2 (float32, CPU) for scoring
(forward), full-parameter training (forward + backward) and batched greedy generation, at one thread count.

stdin: {"model": DIR, "threads": int, "forward": [B, T], "train": [B, T], "generate": [B, P, N], "runs": int,
        "lora": {"r", "alpha", "targets"} (optional: also time peft LoRA training), "full_train": bool (default true)}
stdout: {"forward_tokens_per_s", "train_tokens_per_s", "lora_train_tokens_per_s", "generate_tokens_per_s",
         "torch", "transformers", "peft"}
Token ids are drawn with a fixed seed; timings are medians of `runs` after one warm-up.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from typing import Any, Callable

import torch
import transformers
from transformers import AutoModelForCausalLM


def median_seconds(fn: Callable[[], None], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    request: dict[str, Any] = json.load(sys.stdin)
    torch.set_num_threads(request["threads"])
    model = AutoModelForCausalLM.from_pretrained(request["model"], dtype=torch.float32)
    vocab = model.config.vocab_size
    generator = torch.Generator().manual_seed(0)
    ids = lambda b, t: torch.randint(3, vocab, (b, t), generator=generator)  # noqa: E731
    runs = request["runs"]

    fb, ft = request["forward"]
    forward_ids = ids(fb, ft)
    model.eval()

    def forward() -> None:
        with torch.no_grad():
            torch.log_softmax(model(forward_ids).logits, dim=-1)

    tb, tt = request["train"]
    train_ids = ids(tb, tt)
    model.train()

    def train() -> None:
        model.zero_grad(set_to_none=False)
        model(train_ids, labels=train_ids).loss.backward()

    result: dict[str, Any] = {"forward_tokens_per_s": fb * ft / median_seconds(forward, runs)}
    if request.get("full_train", True):
        result["train_tokens_per_s"] = tb * tt / median_seconds(train, runs)
    model.eval()
    gb, gp, gn = request["generate"]
    prompts = ids(gb, gp)

    def generate() -> None:
        with torch.no_grad():
            model.generate(prompts, attention_mask=torch.ones_like(prompts), max_new_tokens=gn, min_new_tokens=gn,
                           do_sample=False, pad_token_id=model.config.pad_token_id)

    result["generate_tokens_per_s"] = gb * gn / median_seconds(generate, runs)
    lora = request.get("lora")
    if lora:
        import peft

        config = peft.LoraConfig(r=lora["r"], lora_alpha=lora["alpha"], lora_dropout=0.0,
                                 target_modules=lora["targets"], task_type="CAUSAL_LM")
        adapted = peft.get_peft_model(model, config)
        adapted.train()

        def lora_train() -> None:
            adapted.zero_grad(set_to_none=False)
            adapted(input_ids=train_ids, labels=train_ids).loss.backward()

        result["lora_train_tokens_per_s"] = tb * tt / median_seconds(lora_train, runs)
        result["peft"] = peft.__version__
    result["torch"], result["transformers"] = torch.__version__, transformers.__version__
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
