"""Log-probs of a base checkpoint with a PEFT LoRA adapter attached, as peft computes them.

stdin: {"base": dir, "adapter": dir, "ids": [int]}. Loads the base in float64 (eager attention), attaches the
adapter with PeftModel.from_pretrained (unmerged: the adapter runs as its own branch) and prints
{"adapted": [...], "base": [...], "missing": [adapter keys peft did not find]} with log p(ids[t] | ids[<t]), t >= 1.
Used by src/model/lora-adapter.test.ts; no network.
"""

import json
import sys

import torch
from peft import PeftModel
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM


def logprobs(model: torch.nn.Module, ids: torch.Tensor) -> list[float]:
    with torch.no_grad():
        logits = model(ids).logits[0]
    return torch.log_softmax(logits, dim=-1)[:-1].gather(1, ids[0, 1:, None])[:, 0].tolist()


def main() -> None:
    request = json.load(sys.stdin)
    ids = torch.tensor([request["ids"]])
    model = AutoModelForCausalLM.from_pretrained(request["base"], attn_implementation="eager")
    model = model.to(torch.float64).eval()
    base = logprobs(model, ids)
    adapted_model = PeftModel.from_pretrained(model, request["adapter"]).to(torch.float64).eval()
    state = {k for k in adapted_model.state_dict() if "lora_" in k}
    saved = load_file(f"{request['adapter']}/adapter_model.safetensors")
    expected = {k.replace(".weight", ".default.weight") for k in saved}  # peft names the adapter "default"
    json.dump({"adapted": logprobs(adapted_model, ids), "base": base, "missing": sorted(expected - state)}, sys.stdout)


if __name__ == "__main__":
    main()
