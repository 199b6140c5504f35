"""One SFT or DPO step on this rank's share of a global batch.

The backward loss is scaled by world_size / (global count) so that DDP's gradient mean is the global batch's
gradient; the reported numbers are global (summed over ranks).
"""
from __future__ import annotations

import torch

from eto_train.data import pad
from eto_train.losses import dpo_terms, sequence_logps


def global_sum(accelerator, values: list[float]) -> list[float]:
    tensor = torch.tensor(values, dtype=torch.float64, device=accelerator.device)
    return accelerator.reduce(tensor, reduction="sum").tolist()


def zero_loss(model) -> torch.Tensor:
    """A rank with no rows still joins DDP's gradient all-reduce, contributing zeros."""
    return sum((p * 0).sum() for p in model.parameters() if p.requires_grad)


def sft_step(model, rows: list[dict], global_rows: int, accelerator, args, pad_id: int):
    world = accelerator.num_processes
    if rows:
        ids, labels = pad([r["input_ids"] for r in rows], [r["labels"] for r in rows], pad_id)
        logps, tokens = sequence_logps(model(ids.to(accelerator.device)).logits, labels.to(accelerator.device))
        local_sum, local_tokens = logps.sum(), float(tokens.sum())
    else:
        local_sum, local_tokens = zero_loss(model), 0.0
    logp_total, token_total = global_sum(accelerator, [float(local_sum.detach()), local_tokens])
    loss = -local_sum / max(1.0, token_total) * world
    return loss, {"loss": -logp_total / max(1.0, token_total), "tokens": int(token_total)}


def dpo_step(model, rows: list[dict], global_pairs: int, accelerator, args, pad_id: int):
    world = accelerator.num_processes
    if not rows:
        loss = zero_loss(model)
        sums = global_sum(accelerator, [0.0] * 7)
        return loss, report_of(sums, global_pairs, args)
    sequences = [r["chosen_input_ids"] for r in rows] + [r["rejected_input_ids"] for r in rows]
    labels = [r["chosen_labels"] for r in rows] + [r["rejected_labels"] for r in rows]
    ids, label_tensor = pad(sequences, labels, pad_id)  # (2P, T): the P chosen, then the P rejected
    logps, tokens = sequence_logps(model(ids.to(accelerator.device)).logits, label_tensor.to(accelerator.device))
    logps = logps.double()
    P = len(rows)
    ref_chosen = torch.tensor([r["ref_chosen_logps"] for r in rows], dtype=torch.float64, device=logps.device)
    ref_rejected = torch.tensor([r["ref_rejected_logps"] for r in rows], dtype=torch.float64, device=logps.device)
    terms = dpo_terms(logps[:P], logps[P:], ref_chosen, ref_rejected, args.beta, args.loss)
    chosen_tokens = float(tokens[:P].sum())
    sums = global_sum(accelerator, [float(terms["losses"].detach().sum()), float(terms["chosen_reward"].detach().sum()),
                                    float(terms["rejected_reward"].detach().sum()), float(terms["correct"].sum()),
                                    float(logps[:P].sum().detach()), chosen_tokens, float(tokens.sum())])
    loss = terms["losses"].sum() / global_pairs * world
    if args.nll_weight > 0:
        loss = loss - args.nll_weight * logps[:P].sum() / max(1.0, sums[5]) * world
    return loss, report_of(sums, global_pairs, args)


def report_of(sums: list[float], pairs: int, args) -> dict:
    loss_sum, chosen, rejected, correct, chosen_logps, chosen_tokens, tokens = sums
    nll = -chosen_logps / max(1.0, chosen_tokens)
    report = {"loss": loss_sum / pairs + (args.nll_weight * nll if args.nll_weight > 0 else 0.0),
              "tokens": int(tokens), "chosenReward": chosen / pairs, "rejectedReward": rejected / pairs,
              "margin": (chosen - rejected) / pairs, "accuracy": correct / pairs}
    if args.nll_weight > 0:
        report["nll"] = nll
    return report
