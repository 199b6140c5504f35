"""Prints transformers' rope inverse frequencies for the config.json read from stdin, as a JSON list.

The frequencies are read from LlamaRotaryEmbedding built on that config, so they are exactly what the model
uses. Used by src/model/rope-frequencies.test.ts; needs torch and transformers, no network.
"""

import json
import sys

from transformers import AutoConfig
from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding


def main() -> None:
    raw = json.load(sys.stdin)
    config = AutoConfig.for_model(raw.pop("model_type"), **raw)
    rotary = LlamaRotaryEmbedding(config=config)
    json.dump([float(x) for x in rotary.inv_freq.double().tolist()], sys.stdout)


if __name__ == "__main__":
    main()
