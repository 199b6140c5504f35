"""Masked multi-turn DPO (sigmoid/IPO, optional NLL) on `eto export dpo-tokenized` data, under accelerate launch."""
from eto_train.cli import parse_args
from eto_train.loop import train

if __name__ == "__main__":
    train(parse_args(["dpo"]))
