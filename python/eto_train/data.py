"""Reading eto's tokenized exports (data.jsonl + dataset_info.json) and padding them into batches."""
from __future__ import annotations

import json
from pathlib import Path

import torch

from eto_train.losses import IGNORE_LABEL


def read_rows(dataset_dir: str) -> tuple[list[dict], dict]:
    folder = Path(dataset_dir)
    info = json.loads((folder / "dataset_info.json").read_text())
    rows = []
    with open(folder / "data.jsonl", encoding="utf8") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise SystemExit(f"{folder / 'data.jsonl'}:{number}: not JSON ({error})") from error
    return rows, info


def pad(sequences: list[list[int]], labels: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded ids (B, T) and labels (B, T); padding is never labelled (causal: it cannot change the rest)."""
    length = max(len(s) for s in sequences)
    ids = torch.full((len(sequences), length), pad_id, dtype=torch.long)
    out = torch.full((len(sequences), length), IGNORE_LABEL, dtype=torch.long)
    for i, (seq, lab) in enumerate(zip(sequences, labels)):
        ids[i, : len(seq)] = torch.tensor(seq)
        out[i, : len(lab)] = torch.tensor(lab)
    return ids, out


def step_items(total_rows: int, batch_rows: int, epochs: int, seed: int) -> list[list[int]]:
    """Global batches of row indices: one seeded permutation per epoch, cut into batch_rows; same for any world size."""
    generator = torch.Generator().manual_seed(seed)
    batches = []
    for _ in range(epochs):
        order = torch.randperm(total_rows, generator=generator).tolist()
        batches += [order[i : i + batch_rows] for i in range(0, total_rows, batch_rows)]
    return batches
