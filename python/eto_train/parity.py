"""JSON in (stdin), JSON out (stdout): the losses of losses.py in float64, for eto's parity tests.

{"dpo": [{policyChosen, policyRejected, refChosen, refRejected, beta, loss}], "nll": [{policyChosen, tokens}],
 "logps": {"model": DIR, "rows": [{input_ids, labels}]}}
"""
from __future__ import annotations

import json
import sys

import torch

from eto_train.losses import chosen_nll, dpo_loss, sequence_logps


def main() -> None:
    request = json.load(sys.stdin)
    t = lambda values: torch.tensor(values, dtype=torch.float64)  # noqa: E731
    out: dict[str, object] = {"dpo": [], "nll": [], "logps": []}
    for case in request.get("dpo", []):
        result = dpo_loss(t(case["policyChosen"]), t(case["policyRejected"]), t(case["refChosen"]),
                          t(case["refRejected"]), case["beta"], case["loss"])
        out["dpo"].append({k: float(v) for k, v in result.items()})
    for case in request.get("nll", []):
        out["nll"].append(float(chosen_nll(t(case["policyChosen"]), t(case["tokens"]))))
    if "logps" in request:
        from transformers import LlamaForCausalLM

        model = LlamaForCausalLM.from_pretrained(request["logps"]["model"], dtype=torch.float64).eval()
        with torch.no_grad():
            for row in request["logps"]["rows"]:
                logits = model(torch.tensor([row["input_ids"]])).logits
                logps, tokens = sequence_logps(logits.double(), torch.tensor([row["labels"]]))
                out["logps"].append({"logps": float(logps[0]), "tokens": int(tokens[0])})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
