"""Loads eto's imported HF directory and the original GGUF in transformers and compares them (no network).

  hf_load_check.py DIR FILE.gguf
stdout: {"model_class", "dtype", "missing", "unexpected", "differing": [names whose weights are not equal],
         "max_abs_logit_diff": float on a short token sequence, "tied": bool}
The directory's weights are compared with the GGUF load cast to the directory's dtype, so a BF16 import
must equal transformers' own bf16 cast of the dequantized f32 weights.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM


def main() -> None:
    directory, gguf = sys.argv[1], Path(sys.argv[2])
    imported = AutoModelForCausalLM.from_pretrained(directory, dtype="auto")
    reference = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    dtype = next(imported.parameters()).dtype
    ours, theirs = imported.state_dict(), reference.to(dtype).state_dict()
    differing = [name for name in ours if name in theirs and not torch.equal(ours[name], theirs[name])]
    ids = torch.tensor([[1, 4093, 198, 19556, 905, 216, 33, 34, 2]])
    with torch.no_grad():
        diff = (imported(ids).logits.float() - reference(ids).logits.float()).abs().max().item()
    json.dump({
        "model_class": type(imported).__name__,
        "dtype": str(dtype).removeprefix("torch."),
        "missing": sorted(set(theirs) - set(ours)),
        "unexpected": sorted(set(ours) - set(theirs)),
        "differing": differing,
        "max_abs_logit_diff": diff,
        "tied": imported.lm_head.weight.data_ptr() == imported.model.embed_tokens.weight.data_ptr(),
    }, sys.stdout)


if __name__ == "__main__":
    main()
