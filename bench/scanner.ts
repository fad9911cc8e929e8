/**
 * `npx tsx bench/scanner.ts`: the line scanner alone against JSON.parse (+ copying the features out,
 * what the generic preset did before) on the ingest bench's lines. Best of 15 over 50k lines, ns a
 * line. Needs the ingest log: run `npm run bench:ingest` once (BENCH_LINES picks the file).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { featuresFromObject } from '../src/records/features.js';
import { LineScanner } from '../src/records/scanner.js';
import { ROOT } from './build.js';

const n = Number(process.env.BENCH_LINES ?? 1_000_000);
const log = join(ROOT, '.bench', `model-log-${n}.jsonl`);
if (!existsSync(log)) throw new Error(`${log} not found: run npm run bench:ingest first (same BENCH_LINES)`);
// Lines as the splitter makes them: flat strings decoded from bytes, not slices of one big string.
const text = readFileSync(log, 'utf8');
const lines = text.slice(0, text.indexOf('\n', 600 * 50_000)).split('\n').slice(0, 50_000).map((l) => Buffer.from(l).toString());
const scanner = new LineScanner(['timestamp', 'request_id', 'model', 'model_version', 'features', 'prediction', 'scores', 'latency_ms', 'status', 'error'], 4);
const best = { parse: Infinity, parseAndCopy: Infinity, scan: Infinity };
let sink = 0;
for (let rep = 0; rep < 15; rep++) {
  let t = performance.now();
  for (const l of lines) sink += (JSON.parse(l) as { status: number }).status;
  best.parse = Math.min(best.parse, performance.now() - t);
  t = performance.now();
  for (const l of lines) sink += Object.keys(featuresFromObject((JSON.parse(l) as { features: Record<string, unknown> }).features)).length;
  best.parseAndCopy = Math.min(best.parseAndCopy, performance.now() - t);
  t = performance.now();
  for (const l of lines) sink += scanner.scan(l) ? 1 : 0;
  best.scan = Math.min(best.scan, performance.now() - t);
}
const ns = (ms: number) => `${Math.round((ms * 1e6) / lines.length)} ns/line`;
console.log(`JSON.parse ${ns(best.parse)}, JSON.parse + features copy ${ns(best.parseAndCopy)}, scanner ${ns(best.scan)} (${sink > 0 ? 'ok' : ''})`);
