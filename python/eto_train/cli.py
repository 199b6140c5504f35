"""Command-line arguments of sft.py and dpo.py (eto's AccelerateTrainer passes them; README lists them)."""
from __future__ import annotations

import argparse
from dataclasses import dataclass


@dataclass(frozen=True)
class TrainArgs:
    stage: str
    data: str
    model: str
    out: str
    log: str
    state_dir: str
    iteration: int
    lr: float
    epochs: float
    batch_rows: int
    schedule: str
    warmup_ratio: float
    min_lr_ratio: float
    weight_decay: float
    clip: float
    checkpoint_every: int
    seed: int
    beta: float
    loss: str
    nll_weight: float
    lora_r: int
    lora_alpha: float
    lora_dropout: float
    lora_targets: str
    dtype: str
    gradient_checkpointing: bool
    cpu: bool
    stop_after: int


def parse_args(stages: list[str], argv: list[str] | None = None) -> TrainArgs:
    parser = argparse.ArgumentParser(description="eto SFT/DPO on a tokenized export, under accelerate launch")
    parser.add_argument("--stage", choices=stages, default=stages[0])
    parser.add_argument("--data", required=True, help="folder from eto export sft-tokenized / dpo-tokenized")
    parser.add_argument("--model", required=True, help="eto checkpoint to start from (HF layout)")
    parser.add_argument("--out", required=True, help="checkpoint folder written at the end (eto's layout)")
    parser.add_argument("--log", required=True, help="train log JSONL: a header line, then one line per step")
    parser.add_argument("--state-dir", required=True, help="resumable step state (state.pt)")
    parser.add_argument("--iteration", type=int, default=0)
    parser.add_argument("--lr", type=float, default=1e-5)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--batch-rows", type=int, default=8, help="global rows per step (pairs for DPO)")
    parser.add_argument("--schedule", choices=["cosine", "constant"], default="cosine")
    parser.add_argument("--warmup-ratio", type=float, default=0.03)
    parser.add_argument("--min-lr-ratio", type=float, default=0.1)
    parser.add_argument("--weight-decay", type=float, default=0.0)
    parser.add_argument("--clip", type=float, default=1.0)
    parser.add_argument("--checkpoint-every", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--beta", type=float, default=0.1)
    parser.add_argument("--loss", choices=["sigmoid", "ipo"], default="sigmoid")
    parser.add_argument("--nll-weight", type=float, default=0.0)
    parser.add_argument("--lora-r", type=int, default=0, help="0 = full weights; >0 = LoRA rank (peft)")
    parser.add_argument("--lora-alpha", type=float, default=16)
    parser.add_argument("--lora-dropout", type=float, default=0.0)
    parser.add_argument("--lora-targets", default="q_proj,v_proj", help="comma-separated projection names")
    parser.add_argument("--dtype", choices=["float32", "float64", "bfloat16"], default="float32")
    parser.add_argument("--gradient-checkpointing", action="store_true")
    parser.add_argument("--cpu", action="store_true", help="force CPU even when a GPU is present")
    parser.add_argument("--stop-after", type=int, default=0, help="testing: exit 137 right after this step")
    ns = parser.parse_args(argv)
    if ns.batch_rows < 1 or ns.checkpoint_every < 1 or not ns.beta > 0:
        parser.error("--batch-rows and --checkpoint-every must be ≥ 1 and --beta > 0")
    return TrainArgs(**{key: value for key, value in vars(ns).items()})
