// python/eto_train's DPO loss, NLL term and masked log-prob sums against eto's TypeScript ones on the same inputs
// (#17, #23 Done-when 1 and #17's 2): losses ≤ 1e-6; the tokenized export's labels are exactly encodePair's
// masks; transformers' LlamaForCausalLM (float64) on the labels reproduces the exported reference log-probs
// ≤ 1e-5 + 1e-6·|sum| (eto's engine is float32).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeJsonlAtomic } from '../../src/data/jsonl.ts';
import { etoChatFormat } from '../../src/model/chat.ts';
import { loadCheckpoint } from '../../src/model/checkpoint.ts';
import { chosenNll, dpoLoss, type DpoLossType } from '../../src/train/dpo-loss.ts';
import { encodeMessages, encodePair } from '../../src/train/encode.ts';
import { DpoTokenizedRowSchema, SftTokenizedRowSchema, toLabels } from '../../src/train/tokenized-export.ts';
import { Rng } from '../../src/rng.ts';
import { repoRoot, runEtoCli } from '../helpers/cli.ts';
import { announceSkip, findPython } from '../helpers/python-env.ts';
import { fixturePairs, fixtureTrajectories } from './fixtures.ts';
import { runParity } from './run-python.ts';

const lookup = findPython(['torch', 'transformers']);
const skip = announceSkip('python loss/mask parity', lookup);
const python = lookup.found ? lookup.env.python : '';
const model = join(repoRoot, 'checkpoints/alfworld-small-sft');

/** 1e-5, plus eto's float32 engine's rounding on a sum of many tokens (|sum| ≈ 250 gives ≈ 3e-5 vs float64). */
function float32Slack(sum: number): number {
  return 1e-5 + 1e-6 * Math.abs(sum);
}

describe.skipIf(skip)("python/eto_train losses and masks equal eto's", () => {
  it('DPO sigmoid and IPO losses, rewards, margin, accuracy and the NLL term agree ≤ 1e-6', () => {
    const rng = new Rng(7);
    const vector = (n: number, scale: number) =>
      Float64Array.from({ length: n }, () => -scale * Math.abs(rng.normal()) - 1);
    const cases = [1, 3, 8].flatMap((P) =>
      (['sigmoid', 'ipo'] as DpoLossType[]).map((loss) => ({
        policyChosen: vector(P, 20),
        policyRejected: vector(P, 20),
        refChosen: vector(P, 20),
        refRejected: vector(P, 20),
        beta: P === 1 ? 0.5 : 0.1,
        loss,
      })),
    );
    const nllCases = cases.map((c) => ({
      policyChosen: c.policyChosen,
      tokens: Array.from(c.policyChosen, (_, i) => 3 + i),
    }));
    const plain = (c: (typeof cases)[number]) => ({
      ...c,
      policyChosen: [...c.policyChosen],
      policyRejected: [...c.policyRejected],
      refChosen: [...c.refChosen],
      refRejected: [...c.refRejected],
    });
    const out = runParity(python, {
      dpo: cases.map(plain),
      nll: nllCases.map((c) => ({ ...c, policyChosen: [...c.policyChosen] })),
    });
    cases.forEach((c, i) => {
      const ours = dpoLoss(c, c.beta, c.loss);
      const theirs = out.dpo[i];
      for (const key of ['loss', 'chosenReward', 'rejectedReward', 'margin', 'accuracy'] as const) {
        expect(Math.abs(theirs[key] - ours[key]), `${c.loss} P=${c.policyChosen.length} ${key}`).toBeLessThanOrEqual(
          1e-6,
        );
      }
      const nll = chosenNll(nllCases[i]!.policyChosen, nllCases[i]!.tokens).nll;
      expect(Math.abs(out.nll[i] - nll)).toBeLessThanOrEqual(1e-6);
    });
  });

  it("dpo-/sft-tokenized label exactly eto's masks, and transformers reproduces ref_*_logps ≤ 1e-5", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eto-tokenized-'));
    const pairs = fixturePairs(4);
    const trajectories = fixtureTrajectories(3);
    writeJsonlAtomic(join(dir, 'pairs.jsonl'), pairs);
    writeJsonlAtomic(join(dir, 'trajs.jsonl'), trajectories);
    const dpo = await runEtoCli([
      'export',
      'dpo-tokenized',
      '--input',
      join(dir, 'pairs.jsonl'),
      '--model',
      model,
      '--out',
      join(dir, 'dpo'),
    ]);
    const sft = await runEtoCli([
      'export',
      'sft-tokenized',
      '--input',
      join(dir, 'trajs.jsonl'),
      '--model',
      model,
      '--out',
      join(dir, 'sft'),
    ]);
    expect(dpo.code, dpo.stderr).toBe(0);
    expect(sft.code, sft.stderr).toBe(0);
    const lines = (file: string) =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
    const dpoRows = lines(join(dir, 'dpo/data.jsonl')).map((row) => DpoTokenizedRowSchema.parse(row));
    const sftRows = lines(join(dir, 'sft/data.jsonl')).map((row) => SftTokenizedRowSchema.parse(row));
    const { tokenizer, config } = loadCheckpoint(model);
    dpoRows.forEach((row, i) => {
      const encoded = encodePair(etoChatFormat(tokenizer), pairs[i]!, config.maxPositionEmbeddings);
      expect(row.chosen_labels).toEqual(toLabels(encoded.chosen));
      expect(row.rejected_labels).toEqual(toLabels(encoded.rejected));
      // independent of toLabels: a label is either −100 or the token at that position, never on the prompt
      expect(row.chosen_labels.every((label, t) => label === -100 || label === row.chosen_input_ids[t])).toBe(true);
    });
    sftRows.forEach((row, i) => {
      const encoded = encodeMessages(etoChatFormat(tokenizer), trajectories[i]!.messages, config.maxPositionEmbeddings);
      expect(row.labels.filter((l) => l !== -100).length).toBe(encoded.mask.reduce((a, b) => a + b, 0));
    });
    const sequences = dpoRows.flatMap((row) => [
      { input_ids: row.chosen_input_ids, labels: row.chosen_labels },
      { input_ids: row.rejected_input_ids, labels: row.rejected_labels },
    ]);
    const out = runParity(python, { logps: { model, rows: sequences } });
    dpoRows.forEach((row, i) => {
      expect(Math.abs(out.logps[2 * i].logps - row.ref_chosen_logps)).toBeLessThanOrEqual(
        float32Slack(row.ref_chosen_logps),
      );
      expect(Math.abs(out.logps[2 * i + 1].logps - row.ref_rejected_logps)).toBeLessThanOrEqual(
        float32Slack(row.ref_rejected_logps),
      );
    });
    const info = JSON.parse(readFileSync(join(dir, 'dpo/dataset_info.json'), 'utf8'));
    expect(info).toMatchObject({ kind: 'dpo', rows: 4, max_length: config.maxPositionEmbeddings });
  });
});
