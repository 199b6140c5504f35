// WebShop port benchmarks: catalogue generation and indexing time, BM25 search queries/s, text-env
// steps/s under the expert, and the expert's mean reward and turns per split (ETO's expert data: 4.9 turns).
// `npm run bench -- env-extra/webshop [--products N]`; one JSON line per case.
import { runScriptedEpisode } from '../../src/agent/episode.ts';
import { generateCatalog } from '../../src/env/webshop/generator.ts';
import { webshop } from '../../src/env/webshop/index.ts';
import { Bm25Index, documentText } from '../../src/env/webshop/search.ts';
import { median } from '../stats.ts';


export async function run(args: string[] = []): Promise<void> {
  const at = args.indexOf('--products');
  const products = at >= 0 ? Number(args[at + 1]) : 5000;

  const buildTimes: number[] = [];
  const indexTimes: number[] = [];
  let catalog = generateCatalog({ products, goals: 2224, seed: 0 });
  let index = new Bm25Index(catalog.products.map(documentText));
  for (let repeat = 0; repeat < 3; repeat++) {
    let start = performance.now();
    catalog = generateCatalog({ products, goals: 2224, seed: repeat });
    buildTimes.push(performance.now() - start);
    start = performance.now();
    index = new Bm25Index(catalog.products.map(documentText));
    indexTimes.push(performance.now() - start);
  }
  console.log(JSON.stringify({ bench: 'webshop-catalog', products, generateMs: Math.round(median(buildTimes)), indexMs: Math.round(median(indexTimes)) }));

  // queries as the expert writes them: instruction words without the price text
  const queries = catalog.goals.map((g) => g.instructionText.replace(/, and price lower than .*$/, ''));
  const rates: number[] = [];
  for (let repeat = 0; repeat < 3; repeat++) {
    const start = performance.now();
    for (const query of queries) index.search(query, 50);
    rates.push(queries.length / ((performance.now() - start) / 1000));
  }
  console.log(JSON.stringify({ bench: 'webshop-search', products, queries: queries.length, queriesPerSecond: Math.round(median(rates)) }));

  const env = webshop.create({ products });
  for (const split of webshop.splits({ products })) {
    let reward = 0;
    let steps = 0;
    let successes = 0;
    const start = performance.now();
    for (let task = 0; task < split.size; task++) {
      const trajectory = runScriptedEpisode(webshop, env, { split: split.name, task }, (e, r) => webshop.createExpert(e, r, 0), {
        id: `${split.name}/${task}`, source: 'expert', iteration: 0, policy: 'expert',
      });
      reward += trajectory.reward;
      steps += trajectory.steps;
      successes += trajectory.success ? 1 : 0;
    }
    const seconds = (performance.now() - start) / 1000;
    console.log(JSON.stringify({
      bench: 'webshop-expert', split: split.name, episodes: split.size, meanReward: Number((reward / split.size).toFixed(4)),
      successRate: Number((successes / split.size).toFixed(4)), meanTurns: Number((steps / split.size).toFixed(2)), stepsPerSecond: Math.round(steps / seconds),
    }));
  }
}
