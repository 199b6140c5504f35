// Fixture for process.test.ts: a process that uses a 2-thread engine and then ends, disposing it or not
// (argv[2] = 'dispose' | 'keep'). It must exit by itself either way.
import { createEngine } from '../index.ts';

const engine = await createEngine({ threads: 2, parallelMinWork: 0 });
const x = engine.alloc(1000).fill(2);
engine.scale(x, 0.5, 1000);
console.log(JSON.stringify({ backend: engine.backend, threads: engine.threads, value: x[999] }));
if (process.argv[2] === 'dispose') engine.dispose();
