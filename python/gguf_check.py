"""Reference side of eto's GGUF tests, using gguf-py (the gguf package) only.

  gguf_check.py hashes FILE.gguf     -> JSON {tensor name: {"type": name, "sha256": hex of the f32 bytes}}
  gguf_check.py random OUT_DIR       -> OUT_DIR/random.gguf with one random tensor per ggml type, and
                                        OUT_DIR/<tensor>.f32 with gguf.quants.dequantize of each
No network; prints JSON on stdout.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType as Q, GGUFReader, GGUFWriter
from gguf.constants import GGML_QUANT_SIZES
from gguf.quants import dequantize, quantize

QUANTIZABLE = [Q.F32, Q.F16, Q.BF16, Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1, Q.Q8_0]
# gguf-py has no quantizer for the K-quants: their blocks are random bytes with finite f16 scales
RAW = [Q.Q4_K, Q.Q5_K, Q.Q6_K]
# byte offsets of the f16 scale fields in each raw block
SCALE_OFFSETS = {Q.Q4_K: [0, 2], Q.Q5_K: [0, 2], Q.Q6_K: [208]}


def hashes(path: str) -> dict[str, dict[str, str]]:
    reader = GGUFReader(path)
    out: dict[str, dict[str, str]] = {}
    for tensor in reader.tensors:
        values = np.ascontiguousarray(dequantize(tensor.data, tensor.tensor_type), dtype=np.float32)
        out[tensor.name] = {"type": tensor.tensor_type.name, "sha256": hashlib.sha256(values.tobytes()).hexdigest()}
    return out


def random_block_bytes(qtype: Q, rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    block_values, block_bytes = GGML_QUANT_SIZES[qtype]
    blocks = rng.integers(0, 256, size=(rows * cols // block_values, block_bytes), dtype=np.uint8)
    for at in SCALE_OFFSETS[qtype]:
        scale = (rng.standard_normal(blocks.shape[0]) * 0.01).astype(np.float16)
        blocks[:, at:at + 2] = scale.view(np.uint8).reshape(-1, 2)
    return blocks.reshape(rows, cols // block_values * block_bytes)


def write_random(out_dir: str) -> dict[str, str]:
    rng = np.random.default_rng(1234)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    writer = GGUFWriter(str(out / "random.gguf"), "llama")
    rows, cols = 6, 512
    written: dict[str, tuple[np.ndarray, Q]] = {}
    for qtype in QUANTIZABLE:
        values = (rng.standard_normal((rows, cols)) * rng.uniform(0.01, 3.0)).astype(np.float32)
        values[0, :40] = 0.0  # an all-zero block (d = 0) in every type
        data = values if qtype == Q.F32 else values.astype(np.float16) if qtype == Q.F16 else quantize(values, qtype)
        written[f"random.{qtype.name}"] = (data, qtype)
    for qtype in RAW:
        written[f"random.{qtype.name}"] = (random_block_bytes(qtype, rows, cols, rng), qtype)
    for name, (data, qtype) in written.items():
        writer.add_tensor(name, data, raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    types: dict[str, str] = {}
    for tensor in GGUFReader(str(out / "random.gguf")).tensors:
        values = np.ascontiguousarray(dequantize(tensor.data, tensor.tensor_type), dtype=np.float32)
        (out / f"{tensor.name}.f32").write_bytes(values.tobytes())
        types[tensor.name] = tensor.tensor_type.name
    return types


def main() -> None:
    command, arg = sys.argv[1], sys.argv[2]
    result = hashes(arg) if command == "hashes" else write_random(arg)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
