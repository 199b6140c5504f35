"""The one training loop of sft.py and dpo.py under `accelerate launch`, read top to bottom as eto's trainer.ts.

Each global batch is split across ranks (rank r takes rows r, r+W, ...); each rank's loss is scaled so that DDP's
gradient mean equals the gradient of the global batch's loss, so W processes train the same weights as one.
"""
from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

import torch
from accelerate import Accelerator

from eto_train.checkpoint import load_state, save_eto_checkpoint, save_state
from eto_train.cli import TrainArgs
from eto_train.data import read_rows, step_items
from eto_train.steps import dpo_step, sft_step


def learning_rate(step: int, args: TrainArgs, total_steps: int) -> float:
    """eto's src/train/schedule.ts: linear warm-up, then cosine to min_lr_ratio·peak, or constant."""
    warmup = math.floor(args.warmup_ratio * total_steps)
    if warmup > 0 and step <= warmup:
        return args.lr * step / warmup
    if args.schedule == "constant":
        return args.lr
    progress = min(1.0, (step - warmup) / max(1, total_steps - warmup))
    return args.lr * (args.min_lr_ratio + (1 - args.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def header(accelerator: Accelerator, args: TrainArgs) -> dict:
    import accelerate, transformers  # noqa: E401

    versions = {"torch": torch.__version__, "transformers": transformers.__version__,
                "accelerate": accelerate.__version__}
    if args.lora_r > 0:
        import peft

        versions["peft"] = peft.__version__
    backend = torch.distributed.get_backend() if torch.distributed.is_initialized() else "none"
    return {"header": {"world_size": accelerator.num_processes, "backend": backend,
                       "distributed_type": str(accelerator.distributed_type), "stage": args.stage,
                       "iteration": args.iteration, "lora_r": args.lora_r, "dtype": args.dtype, "versions": versions}}


def open_model(args: TrainArgs):
    from transformers import LlamaForCausalLM

    model = LlamaForCausalLM.from_pretrained(args.model, dtype=getattr(torch, args.dtype))
    if args.gradient_checkpointing:
        model.gradient_checkpointing_enable()
    if args.lora_r > 0:
        from peft import LoraConfig, get_peft_model

        config = LoraConfig(r=args.lora_r, lora_alpha=args.lora_alpha, lora_dropout=args.lora_dropout,
                            target_modules=args.lora_targets.split(","), init_lora_weights=True)
        model = get_peft_model(model, config)
    return model


def fail(message: str) -> None:
    print(f"eto-train error: {message}", file=sys.stderr, flush=True)
    sys.exit(3)


def train(args: TrainArgs) -> None:
    accelerator = Accelerator(cpu=args.cpu)
    torch.manual_seed(args.seed)
    rows, _info = read_rows(args.data)
    if not rows:
        fail(f"{args.stage} (iteration {args.iteration}) step 0: {args.data}: no rows to train on")
    plan = step_items(len(rows), args.batch_rows, math.ceil(args.epochs), args.seed)
    epoch_batches = math.ceil(len(rows) / args.batch_rows)
    total_steps = max(1, min(len(plan), round(args.epochs * epoch_batches)))
    model = open_model(args)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=args.lr, betas=(0.9, 0.95), eps=1e-8, weight_decay=args.weight_decay)
    start = 0
    saved = load_state(args.state_dir)
    if saved is not None:
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        start = saved["step"]
    model, optimizer = accelerator.prepare(model, optimizer)
    if accelerator.is_main_process:
        write_log(args.log, keep_through=start, first=header(accelerator, args))
        event({"event": "start", "totalSteps": total_steps, "resumedAfter": start})
    pad_id = accelerator.unwrap_model(model).config.pad_token_id or 0
    for step in range(start + 1, total_steps + 1):
        batch = plan[step - 1]
        local = [rows[i] for i in batch[accelerator.process_index :: accelerator.num_processes]]
        run_step = dpo_step if args.stage == "dpo" else sft_step
        loss, report = run_step(model, local, len(batch), accelerator, args, pad_id)
        accelerator.backward(loss)
        grad_norm = float(accelerator.clip_grad_norm_(trainable, args.clip))
        if not math.isfinite(report["loss"]) or not math.isfinite(grad_norm):
            what = "loss" if not math.isfinite(report["loss"]) else "gradient norm"
            fail(f"{args.stage} (iteration {args.iteration}) step {step}: {what} is not finite; "
                 f"lower the learning rate (now {args.lr})")
        lr = learning_rate(step, args, total_steps)
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        epoch = (step - 1) // epoch_batches
        entry = {"stage": args.stage, "iteration": args.iteration, "step": step, "totalSteps": total_steps,
                 "epoch": epoch + (step - epoch * epoch_batches) / epoch_batches, "lr": lr, "gradNorm": grad_norm,
                 **report}
        if accelerator.is_main_process:
            with open(args.log, "a", encoding="utf8") as log:
                log.write(json.dumps(entry) + "\n")
            if step % args.checkpoint_every == 0 and step < total_steps:
                unwrapped = accelerator.unwrap_model(model)
                save_state(args.state_dir, step, unwrapped.state_dict(), optimizer.state_dict())
            event({"event": "step", "step": step, "totalSteps": total_steps, "loss": report["loss"],
                   "tokens": report["tokens"]})
        accelerator.wait_for_everyone()
        if args.stop_after and step == args.stop_after:
            os._exit(137)  # a kill right after this step, for the resume tests
    # every rank joins the gather (FSDP / ZeRO-3 shard the weights); rank 0 writes
    state = None if args.lora_r > 0 else accelerator.get_state_dict(model)
    if accelerator.is_main_process:
        finish(accelerator.unwrap_model(model), state, args)
        event({"event": "done", "steps": total_steps})
    accelerator.wait_for_everyone()
    accelerator.end_training()


def finish(model, state: dict | None, args: TrainArgs) -> None:
    """The eto checkpoint at --out; with LoRA also the peft adapter beside it (adapter/), merged into the checkpoint."""
    if args.lora_r > 0:
        model.save_pretrained(str(Path(args.out).parent / "adapter"))
        state = model.merge_and_unload().state_dict()
    save_eto_checkpoint(state, args.model, args.out)


def write_log(file: str, keep_through: int, first: dict) -> None:
    """The header line, then the entries of steps ≤ keep_through (a resumed run redoes later steps)."""
    kept = []
    if keep_through > 0 and Path(file).exists():
        for line in Path(file).read_text().splitlines():
            record = json.loads(line) if line.strip() else {}
            if "step" in record and record["step"] <= keep_through:
                kept.append(line)
    Path(file).parent.mkdir(parents=True, exist_ok=True)
    Path(file).write_text("".join(line + "\n" for line in [json.dumps(first), *kept]))


def event(record: dict) -> None:
    """Progress for eto's AccelerateTrainer, one JSON line on stdout."""
    print("eto-train " + json.dumps(record), flush=True)
