#!/usr/bin/env bash
# Makes the GPU check's bundle (bench/gpu-check/data/, committed) on a machine with Node, so the GPU machine
# needs only Python: 55 real ALFWorld pairs (the committed SFT checkpoint explored 64 training tasks) exported
# as dpo-tokenized with eto's reference log-probs, and 32 dev expert episodes as sft-tokenized (held out).
set -euo pipefail
cd "$(dirname "$0")/../.."
eto() { node bin/eto.js "$@"; }
work=$(mktemp -d)
data=bench/gpu-check/data
model=checkpoints/alfworld-small-sft
eto expert --preset default --data-expert-tasks 64 --out "$work/expert.jsonl"
eto explore --preset default --model "$model" --data-expert-tasks 64 --data-explore-tasks 64 --out "$work/explore.jsonl"
eto pairs --expert "$work/expert.jsonl" --explored "$work/explore.jsonl" --out "$work/pairs.jsonl"
eto env expert alfworld --split dev --limit 32 --out "$work/dev-expert.jsonl"
rm -rf "$data" && mkdir -p "$data"
eto export dpo-tokenized --input "$work/pairs.jsonl" --model "$model" --out "$data/dpo"
eto export sft-tokenized --input "$work/dev-expert.jsonl" --model "$model" --out "$data/dev-sft"
rm -rf "$work"
