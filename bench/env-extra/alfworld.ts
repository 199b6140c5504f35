// ALFWorld port: the expert's success and mean turns per split and task type (ETO's expert data averages
// 10.1 turns). `npm run bench -- env-extra/alfworld [--limit K]` (default 300 tasks per split).
import { runScriptedEpisode } from '../../src/agent/episode.ts';
import { alfworld } from '../../src/env/alfworld/index.ts';

export async function run(args: string[]): Promise<void> {
  const at = args.indexOf('--limit');
  const limit = at >= 0 ? Number(args[at + 1]) : 300;
  const env = alfworld.create();
  for (const split of alfworld.splits()) {
    const count = Math.min(limit, split.size);
    const byType = new Map<string, { n: number; turns: number; wins: number }>();
    let wins = 0;
    let turns = 0;
    let longest = 0;
    const start = performance.now();
    for (let task = 0; task < count; task++) {
      let type = '';
      const trajectory = runScriptedEpisode(alfworld, env, { split: split.name, task }, (e, r) => {
        type = String(r.info.taskType); // read from the episode's own reset
        return alfworld.createExpert(e, r, task);
      }, { id: `${split.name}/${task}`, source: 'expert', iteration: 0, policy: 'expert' });
      const entry = byType.get(type) ?? { n: 0, turns: 0, wins: 0 };
      entry.n += 1;
      entry.turns += trajectory.steps;
      entry.wins += trajectory.success ? 1 : 0;
      byType.set(type, entry);
      wins += trajectory.success ? 1 : 0;
      turns += trajectory.steps;
      longest = Math.max(longest, trajectory.steps);
    }
    const perType = Object.fromEntries([...byType].sort().map(([type, e]) => [type, { n: e.n, success: e.wins / e.n, meanTurns: Number((e.turns / e.n).toFixed(2)) }]));
    console.log(JSON.stringify({
      bench: 'env-extra/alfworld', split: split.name, tasks: count, success: wins / count, meanTurns: Number((turns / count).toFixed(2)),
      maxTurns: longest, msPerEpisode: Number(((performance.now() - start) / count).toFixed(2)), perType,
    }));
  }
}
