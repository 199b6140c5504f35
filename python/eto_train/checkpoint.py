"""Checkpoints in eto's HF layout (src/model/checkpoint.ts) and resumable step states, both written atomically."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import save_file

ETO_SIDE_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json")


def save_eto_checkpoint(state: dict[str, torch.Tensor], source_dir: str, out_dir: str) -> None:
    """F32 model.safetensors with exactly the source's tensor names, beside the source's config and tokenizer."""
    with safe_open(str(Path(source_dir) / "model.safetensors"), framework="pt") as source:
        names = list(source.keys())
    missing = [name for name in names if name not in state]
    if missing:
        raise SystemExit(f"cannot save {out_dir}: parameters {missing[:3]} are missing from the trained model")
    out = Path(out_dir)
    staging = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    tensors = {name: state[name].detach().to(torch.float32).contiguous().cpu() for name in names}
    save_file(tensors, str(staging / "model.safetensors"), metadata={"format": "pt"})
    for name in ETO_SIDE_FILES:
        if (Path(source_dir) / name).exists():
            shutil.copyfile(Path(source_dir) / name, staging / name)
    aside = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(aside)
    staging.rename(out)
    shutil.rmtree(aside, ignore_errors=True)


def save_state(state_dir: str, step: int, model_state: dict, optimizer_state: dict) -> None:
    """<state_dir>/state.pt holding the step, the trainable weights and the optimizer (replaced atomically)."""
    folder = Path(state_dir)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f"state.pt.tmp-{os.getpid()}"
    torch.save({"step": step, "model": model_state, "optimizer": optimizer_state}, temporary)
    os.replace(temporary, folder / "state.pt")


def load_state(state_dir: str) -> dict | None:
    file = Path(state_dir) / "state.pt"
    return torch.load(file, map_location="cpu", weights_only=False) if file.exists() else None
