#!/usr/bin/env bash
# The GPU check (#17): on a machine with one CUDA GPU and Python (torch, transformers, accelerate; no Node,
# no network), from the bundle bench/gpu-check/prepare.sh made with eto beforehand. Prints one JSON line per
# check: the environment, log-prob parity with eto in bfloat16, a short DPO run under `accelerate launch`
# (its loss must fall), and the trained model reloaded from disk and evaluated beside the start model.
# usage: bash bench/gpu-check.sh [--cpu]      (--cpu: the same checks on CPU, to try the script anywhere)
# env:   ETO_PYTHON (default .venv/bin/python, else python3), OUT (default a temporary folder), DTYPE (bfloat16)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${ETO_PYTHON:-$([ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)}
out=${OUT:-$(mktemp -d)}
dtype=${DTYPE:-bfloat16}
mkdir -p "$out"
data=bench/gpu-check/data
model=checkpoints/alfworld-small-sft
if [ "${1:-}" = "--cpu" ]; then device=cpu; config=configs/accelerate/cpu-1.yaml; cpu_flag=--cpu
else device=cuda; config=configs/accelerate/gpu-1.yaml; cpu_flag=""; fi
[ -f "$data/dpo/data.jsonl" ] || { echo "missing $data: run bench/gpu-check/prepare.sh where Node is" >&2; exit 2; }

"$python" - "$device" <<'PY'
import json, sys, torch, transformers, accelerate
device = sys.argv[1]
if device == "cuda" and not torch.cuda.is_available():
    print(json.dumps({"check": "environment", "ok": False, "error": "no CUDA device (use --cpu to try on CPU)"}))
    sys.exit(2)
print(json.dumps({"check": "environment", "ok": True, "device": device, "torch": torch.__version__,
                  "transformers": transformers.__version__, "accelerate": accelerate.__version__,
                  "gpu": torch.cuda.get_device_name(0) if device == "cuda" else None,
                  "bf16": bool(device != "cuda" or torch.cuda.is_bf16_supported())}))
PY
check() { "$python" bench/gpu-check/check.py "$@" 2>/dev/null; }
check parity --model "$model" --data "$data/dpo" --dtype float32 --device "$device"
check parity --model "$model" --data "$data/dpo" --dtype "$dtype" --device "$device"
# ETO's DPO as measured to help here (β 0.5, lr 1e-4, NLL term), 4 epochs of the 55 pairs, 8 per step
start=$(date +%s)
"$python" -m accelerate.commands.launch --config_file "$config" python/dpo.py $cpu_flag \
  --data "$data/dpo" --model "$model" --out "$out/model" --log "$out/train-log.jsonl" --state-dir "$out/state" \
  --beta 0.5 --loss sigmoid --nll-weight 1 --lr 1e-4 --epochs 4 --batch-rows 8 --schedule cosine \
  --checkpoint-every 1000 --dtype "$dtype" > "$out/launch.log" 2>&1 \
  || { echo "{\"check\": \"dpo-train\", \"ok\": false, \"log\": \"$out/launch.log\"}"; tail -20 "$out/launch.log" >&2; exit 1; }
echo "{\"check\": \"dpo-train\", \"ok\": true, \"seconds\": $(( $(date +%s) - start )), \"out\": \"$out\"}"
check curve --log "$out/train-log.jsonl"
check evaluate --model "$out/model" --start "$model" --data "$data/dpo" --dev "$data/dev-sft" --dtype float32 --device "$device"
