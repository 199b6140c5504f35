"""TRL's side of `npm run bench -- trl-vs-eto`: DPOTrainer (sigmoid loss) on eto's pairs exported with
`eto export trl-preference`, starting from an eto checkpoint (HF layout), float32 on CPU, no network.

stdin:  {"model": DIR, "data": TRL_JSONL, "beta": float, "lr": float, "batch": int, "epochs": float, "threads": int,
         "max_length": int, "out": DIR}
stdout: {"steps", "train_seconds", "pairs_per_s", "first_loss", "last_loss", "trl", "torch"}; the model in OUT/model
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main() -> None:
    request = json.load(sys.stdin)
    import torch
    import trl
    from datasets import load_dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
    from trl import DPOConfig, DPOTrainer

    torch.set_num_threads(request["threads"])
    tokenizer = AutoTokenizer.from_pretrained(request["model"])
    model = AutoModelForCausalLM.from_pretrained(request["model"], dtype=torch.float32)
    dataset = load_dataset("json", data_files=request["data"], split="train")
    config = DPOConfig(output_dir=request["out"], beta=request["beta"], learning_rate=request["lr"],
                       per_device_train_batch_size=request["batch"], num_train_epochs=request["epochs"],
                       max_length=request["max_length"], use_cpu=True, report_to=[], logging_steps=1,
                       save_strategy="no", lr_scheduler_type="cosine", seed=0,
                       dataloader_num_workers=0)
    losses: list[float] = []
    started: list[float] = []

    class Timer(TrainerCallback):
        def on_train_begin(self, args, state, control, **kwargs):  # after tokenising the dataset
            started.append(time.perf_counter())

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and "loss" in logs:
                losses.append(float(logs["loss"]))

    trainer = DPOTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer, callbacks=[Timer()])
    result = trainer.train()
    seconds = time.perf_counter() - started[0]
    saved = os.path.join(request["out"], "model")
    trainer.save_model(saved)  # safetensors with the same tensor names as the start checkpoint
    # transformers 5 writes rope_theta inside rope_parameters, which eto's checkpoint reader does not take yet:
    # the start checkpoint's own config.json describes the same architecture
    shutil.copyfile(os.path.join(request["model"], "config.json"), os.path.join(saved, "config.json"))
    json.dump({"steps": result.global_step, "train_seconds": seconds, "pairs_per_s": len(dataset) * request["epochs"] / seconds,
               "first_loss": losses[0] if losses else None, "last_loss": losses[-1] if losses else None,
               "trl": trl.__version__, "torch": torch.__version__}, sys.stdout)


if __name__ == "__main__":
    main()
