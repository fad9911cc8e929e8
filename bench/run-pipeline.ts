/**
 * Child process of the ingest bench: the full pipeline in one-shot mode over the bench log
 * (tail → map → traffic + drift with 20 features × 2 windows → metrics), then prints its own
 * figures as JSON on stdout.
 */
import { writeFileSync } from 'node:fs';
import { createLogger } from '../src/core/log.js';
import { configSchema } from '../src/config/schema.js';
import { startModelwatch } from '../src/main.js';
import { CATEGORICAL, NUMERIC } from './generate-log.js';

const [log] = process.argv.slice(2);
const config = configSchema.parse({
  sources: [{ type: 'file', paths: [log] }],
  features: [...NUMERIC.map((name) => ({ name, type: 'numeric' })), ...CATEGORICAL.map((name) => ({ name, type: 'categorical' }))],
  reference: { warmup_records: 10_000 },
  drift: { windows: [{ count: 10_000 }, { duration: '1h' }] },
  resources: { enabled: false },
  ...(process.env.BENCH_CONFIG ? JSON.parse(process.env.BENCH_CONFIG) : {}),
});
const started = performance.now();
const cpu0 = process.cpuUsage();
const mw = await startModelwatch({ config, logger: createLogger('silent'), oneShot: true });
await mw.drain();
const text = await mw.metrics();
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
await mw.stop();
// BENCH_EXPOSITION=<file>: the final /metrics text, to diff a change's output against its base tree.
if (process.env.BENCH_EXPOSITION) writeFileSync(process.env.BENCH_EXPOSITION, text);
const lines = mw.stats.totalLines();
process.stdout.write(
  JSON.stringify({ lines, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024, exposition: text.length }) + '\n',
);
