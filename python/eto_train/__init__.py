"""eto's training hand-off: SFT and DPO on eto's tokenized exports, run under `accelerate launch`."""
