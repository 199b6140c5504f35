"""The GPU check's measurements (bench/gpu-check.sh), one JSON line each, from data eto prepared beforehand.

  parity --model DIR --data DPO_DIR --dtype D --device DEV
      log-prob sums of every chosen/rejected sequence under transformers vs the reference log-probs eto's
      float32 engine wrote into the export (ref_*_logps). Goal: |difference| / labelled tokens <= 1e-3 (per
      token) in bfloat16; the relative difference of the sums is reported too (bf16 weights keep 8 bits of
      mantissa, so sums of confident tokens differ by ~1% relative; float32 gives ~1e-6 per token).
  curve --log TRAIN_LOG
      the DPO run's loss: mean of the first and last quarter of its steps, and whether it fell.
  evaluate --model DIR --start DIR --data DPO_DIR --dev SFT_DIR --dtype D --device DEV
      the trained model reloaded from disk: DPO pair accuracy (policy margin > reference margin + 0.01 nats)
      and the mean margin gain on the training pairs, and the masked NLL per token of held-out dev expert turns, beside the start model's.
No Node is needed: every expectation was computed by eto before the bundle travelled.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))
from eto_train.data import pad, read_rows  # noqa: E402
from eto_train.losses import sequence_logps  # noqa: E402


def emit(record: dict) -> None:
    print(json.dumps(record), flush=True)


def open_model(model_dir: str, dtype: str, device: str):
    from transformers import LlamaForCausalLM

    model = LlamaForCausalLM.from_pretrained(model_dir, dtype=getattr(torch, dtype)).to(device).eval()
    return model


@torch.no_grad()
def sums(model, sequences: list[list[int]], labels: list[list[int]], device: str, batch: int = 8) -> list[tuple[float, int]]:
    """Per sequence: (sum of labelled log-probs in float32 softmax, labelled tokens)."""
    out: list[tuple[float, int]] = []
    for start in range(0, len(sequences), batch):
        ids, lab = pad(sequences[start : start + batch], labels[start : start + batch], 0)
        logits = model(ids.to(device)).logits.float()  # (B, T, V): the softmax in float32 whatever the weights
        total, count = sequence_logps(logits, lab.to(device))
        out.extend(zip(total.tolist(), count.tolist()))
    return out


def pair_sums(model, rows: list[dict], device: str) -> tuple[list[tuple[float, int]], list[tuple[float, int]]]:
    chosen = sums(model, [r["chosen_input_ids"] for r in rows], [r["chosen_labels"] for r in rows], device)
    rejected = sums(model, [r["rejected_input_ids"] for r in rows], [r["rejected_labels"] for r in rows], device)
    return chosen, rejected


def parity(args) -> None:
    rows, _ = read_rows(args.data)
    model = open_model(args.model, args.dtype, args.device)
    chosen, rejected = pair_sums(model, rows, args.device)
    expected = [r["ref_chosen_logps"] for r in rows] + [r["ref_rejected_logps"] for r in rows]
    got = chosen + rejected
    per_token = [abs(g - e) / max(1, n) for (g, n), e in zip(got, expected)]
    relative = sorted(abs(g - e) / max(abs(e), 1e-6) for (g, _), e in zip(got, expected))
    worst = max(per_token)
    emit({"check": "logprob-parity", "dtype": args.dtype, "device": args.device, "sequences": len(got),
          "maxPerTokenAbsDiff": worst, "maxRelDiffOfSums": relative[-1], "medianRelDiffOfSums": relative[len(relative) // 2],
          "goal": "per-token |diff| <= 1e-3", "ok": worst <= 1e-3})


def curve(args) -> None:
    steps = [json.loads(line) for line in Path(args.log).read_text().splitlines() if line.strip()]
    losses = [s["loss"] for s in steps if isinstance(s.get("loss"), (int, float)) and "step" in s]
    quarter = max(1, len(losses) // 4)
    first, last = sum(losses[:quarter]) / quarter, sum(losses[-quarter:]) / quarter
    emit({"check": "dpo-loss-falls", "steps": len(losses), "firstQuarterLoss": first, "lastQuarterLoss": last,
          "ok": len(losses) >= 4 and math.isfinite(last) and last < first})


def evaluate(args) -> None:
    rows, _ = read_rows(args.data)
    dev, _ = read_rows(args.dev)
    record = {"check": "reloaded-model", "dtype": args.dtype, "device": args.device, "pairs": len(rows),
              "devSequences": len(dev)}
    ref_margin = [r["ref_chosen_logps"] - r["ref_rejected_logps"] for r in rows]
    for name, model_dir in (("start", args.start), ("trained", args.model)):
        model = open_model(model_dir, args.dtype, args.device)
        chosen, rejected = pair_sums(model, rows, args.device)
        # DPO's implicit reward margin over the reference's; the start model is the reference, so ~0 there
        gains = [(c - r) - m for (c, _), (r, _), m in zip(chosen, rejected, ref_margin)]
        record[f"{name}MeanMarginGain"] = sum(gains) / len(gains)
        record[f"{name}PairAccuracy"] = sum(g > 0.01 for g in gains) / len(rows)
        dev_sums = sums(model, [r["input_ids"] for r in dev], [r["labels"] for r in dev], args.device)
        record[f"{name}DevNllPerToken"] = -sum(s for s, _ in dev_sums) / max(1, sum(n for _, n in dev_sums))
        del model
    record["ok"] = record["trainedPairAccuracy"] > 0.5 and math.isfinite(record["trainedDevNllPerToken"])
    emit(record)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("parity", "evaluate"):
        p = sub.add_parser(name)
        p.add_argument("--model", required=True)
        p.add_argument("--data", required=True)
        p.add_argument("--dtype", default="bfloat16", choices=["bfloat16", "float16", "float32"])
        p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
        if name == "evaluate":
            p.add_argument("--start", required=True)
            p.add_argument("--dev", required=True)
    sub.add_parser("curve").add_argument("--log", required=True)
    args = parser.parse_args()
    {"parity": parity, "curve": curve, "evaluate": evaluate}[args.command](args)


if __name__ == "__main__":
    main()
