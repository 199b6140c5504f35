"""Losses as in eto's src/train/dpo-loss.ts and sft-loss.ts, and the masked log-prob sums of sequenceLogProbs.

Labels follow the HF convention: labels[t] = input_ids[t] where token t is scored given tokens < t, else -100.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

IGNORE_LABEL = -100


def sequence_logps(logits: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per sequence: sum of log p(labels[t] | < t) over labelled t, and the number of labelled tokens.

    logits (B, T, V), labels (B, T) -> (B,), (B,)
    """
    shifted_logits = logits[:, :-1, :]  # (B, T-1, V) position t predicts token t+1
    targets = labels[:, 1:]  # (B, T-1)
    mask = targets != IGNORE_LABEL
    safe_targets = torch.where(mask, targets, torch.zeros_like(targets))
    token_logps = torch.gather(F.log_softmax(shifted_logits, dim=-1), 2, safe_targets.unsqueeze(-1)).squeeze(-1)
    return (token_logps * mask).sum(-1), mask.sum(-1)


def dpo_terms(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
              ref_rejected: torch.Tensor, beta: float, loss_type: str) -> dict[str, torch.Tensor]:
    """Per-pair DPO loss (ETO Eq. 11 for sigmoid; IPO), and the implicit rewards. All (P,)."""
    chosen_ratio = policy_chosen - ref_chosen
    rejected_ratio = policy_rejected - ref_rejected
    h = chosen_ratio - rejected_ratio
    if loss_type == "sigmoid":
        losses = F.softplus(-beta * h)  # -log sigmoid(beta h)
    elif loss_type == "ipo":
        losses = (h - 1 / (2 * beta)) ** 2
    else:
        raise ValueError(f"loss must be sigmoid or ipo, got {loss_type!r}")
    return {"losses": losses, "chosen_reward": beta * chosen_ratio, "rejected_reward": beta * rejected_ratio,
            "correct": (h > 0).to(h.dtype)}


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta: float, loss_type: str = "sigmoid"):
    """The mean over pairs, as dpoLoss() returns it (loss, rewards, margin, accuracy)."""
    terms = dpo_terms(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta, loss_type)
    chosen, rejected = terms["chosen_reward"].mean(), terms["rejected_reward"].mean()
    return {"loss": terms["losses"].mean(), "chosenReward": chosen, "rejectedReward": rejected,
            "margin": chosen - rejected, "accuracy": terms["correct"].mean()}


def chosen_nll(policy_chosen: torch.Tensor, chosen_tokens: torch.Tensor) -> torch.Tensor:
    """IPR's NLL term: -sum log pi(chosen) / sum tokens (at least 1 token in the denominator)."""
    return -policy_chosen.sum() / chosen_tokens.sum().clamp(min=1)


def sft_loss(logps: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
    """Mean NLL per labelled token over the batch."""
    return -logps.sum() / tokens.sum().clamp(min=1)
