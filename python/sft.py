"""SFT/RFT on `eto export sft-tokenized` data: `accelerate launch --config_file CFG python/sft.py --data DIR ...`."""
from eto_train.cli import parse_args
from eto_train.loop import train

if __name__ == "__main__":
    train(parse_args(["sft", "rft"]))
