// Fixture for process.test.ts: loads engine-exit.ts the way bin/eto.js loads the CLI (tsx's ESM API).
import { register } from 'tsx/esm/api';

register();
await import('./engine-exit.ts');
