"""Writes random tensors as (optionally sharded) safetensors in transformers' layout, plus their f32 values.

stdin: {"dir": str, "dtype": "F32"|"F16"|"BF16", "shards": int, "seed": int}. Writes DIR/model.safetensors, or
DIR/model-0000k-of-0000n.safetensors + model.safetensors.index.json, and DIR/expected.json {name: [shape, values]}
with the stored values widened to float32 by torch, as uint32 bit patterns.
Used by src/model/hf-weights.test.ts; no network.
"""

import json
import os
import sys

import torch
from safetensors.torch import save_file

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def main() -> None:
    request = json.load(sys.stdin)
    out, dtype, shards = request["dir"], DTYPES[request["dtype"]], int(request["shards"])
    generator = torch.Generator().manual_seed(int(request["seed"]))
    shapes = {"model.embed_tokens.weight": (7, 5), "model.norm.weight": (5,), "lm_head.weight": (7, 5),
              "model.layers.0.self_attn.q_proj.bias": (6,)}
    tensors = {name: (torch.randn(shape, generator=generator) * 3).to(dtype) for name, shape in shapes.items()}
    tensors["model.layers.0.special"] = torch.tensor([0.0, -0.0, 1e-7, 65504.0, float("inf")]).to(dtype)
    names = sorted(tensors)
    groups = [names[i::shards] for i in range(shards)]
    if shards == 1:
        save_file(tensors, os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
    else:
        weight_map = {}
        for k, group in enumerate(groups):
            file = f"model-{k + 1:05d}-of-{shards:05d}.safetensors"
            save_file({n: tensors[n] for n in group}, os.path.join(out, file), metadata={"format": "pt"})
            weight_map.update({n: file for n in group})
        with open(os.path.join(out, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {"total_size": 0}, "weight_map": weight_map}, f)
    # float32 bit patterns (uint32), so inf, -0 and NaN survive JSON
    expected = {n: [list(t.shape), [x & 0xFFFFFFFF for x in t.float().flatten().view(torch.int32).tolist()]]
                for n, t in tensors.items()}
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f)


if __name__ == "__main__":
    main()
