// ScienceWorld port benchmarks: per family, the gold expert's success and mean turns on the seen and
// unseen splits (ETO's mean over its data is 14.4 turns), and raw env speed (steps/s of gold actions).
// `npm run bench -- env-extra/sciworld [--split seen|unseen|train]`
import { runScriptedEpisode } from '../../src/agent/episode.ts';
import { FAMILIES, sciworld } from '../../src/env/sciworld/index.ts';
import { splitSize, taskAt } from '../../src/env/sciworld/splits.ts';

export async function run(args: string[]): Promise<void> {
  const at = args.indexOf('--split');
  const splits = at >= 0 && args[at + 1] ? [args[at + 1] as string] : ['seen', 'unseen'];
  const env = sciworld.create();
  const totals = new Map<string, { episodes: number; successes: number; turns: number }>();
  let steps = 0;
  const start = performance.now();
  for (const split of splits) {
    for (let task = 0; task < splitSize(FAMILIES, split as 'seen'); task++) {
      const { family } = taskAt(FAMILIES, split, task);
      const trajectory = runScriptedEpisode(sciworld, env, { split, task }, (e, r) => sciworld.createExpert(e, r, 0),
        { id: `${split}/${task}`, source: 'expert', iteration: 0, policy: 'gold' });
      const entry = totals.get(family.name) ?? { episodes: 0, successes: 0, turns: 0 };
      entry.episodes += 1;
      entry.successes += trajectory.success ? 1 : 0;
      entry.turns += trajectory.steps;
      totals.set(family.name, entry);
      steps += trajectory.steps;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  let episodes = 0;
  let turns = 0;
  for (const [family, entry] of totals) {
    episodes += entry.episodes;
    turns += entry.turns;
    console.log(JSON.stringify({ bench: 'sciworld-gold', splits, family, episodes: entry.episodes,
      success: entry.successes / entry.episodes, meanTurns: Number((entry.turns / entry.episodes).toFixed(2)) }));
  }
  console.log(JSON.stringify({ bench: 'sciworld-gold', splits, family: 'all', episodes, meanTurns: Number((turns / episodes).toFixed(2)),
    stepsPerSecond: Math.round(steps / seconds) }));
}
