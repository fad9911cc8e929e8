/**
 * `npx tsx bench/scanner.ts`: the line scanner alone against JSON.parse (+ copying the features out,
 * what the generic preset did before) on the ingest bench's lines. Best of 15 over 50k lines, ns a
 * line. The scanner reads the lines' bytes in one buffer, as the tailer hands them over; JSON.parse
 * is timed on already decoded strings and with the decoding (what the text path costs). Needs the ingest log: run `npm run bench:ingest` once (BENCH_LINES picks the file).
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
// The lines' bytes one after the other, LF-separated, as in a read buffer.
const bytes = Buffer.from(lines.join('\n') + '\n');
const starts: number[] = [];
for (let at = 0; at < bytes.length; at = bytes.indexOf(0x0a, at) + 1) starts.push(at);
starts.push(bytes.length);
const best = { decodeAndParse: Infinity, parse: Infinity, parseAndCopy: Infinity, scan: Infinity };
let sink = 0;
for (let rep = 0; rep < 15; rep++) {
  let t = performance.now();
  for (const l of lines) sink += (JSON.parse(l) as { status: number }).status;
  best.parse = Math.min(best.parse, performance.now() - t);
  t = performance.now();
  for (const l of lines) sink += Object.keys(featuresFromObject((JSON.parse(l) as { features: Record<string, unknown> }).features)).length;
  best.parseAndCopy = Math.min(best.parseAndCopy, performance.now() - t);
  t = performance.now();
  for (let k = 0; k + 1 < starts.length; k++) sink += (JSON.parse(bytes.toString('utf8', starts[k], starts[k + 1] - 1)) as { status: number }).status;
  best.decodeAndParse = Math.min(best.decodeAndParse, performance.now() - t);
  t = performance.now();
  for (let k = 0; k + 1 < starts.length; k++) sink += scanner.scanBytes(bytes, starts[k], starts[k + 1] - 1) ? 1 : 0;
  best.scan = Math.min(best.scan, performance.now() - t);
}
const ns = (ms: number) => `${Math.round((ms * 1e6) / lines.length)} ns/line`;
console.log(
  `JSON.parse ${ns(best.parse)} (with decoding the bytes ${ns(best.decodeAndParse)}), JSON.parse + features copy ${ns(best.parseAndCopy)}, scanner over the bytes ${ns(best.scan)} (${sink > 0 ? 'ok' : ''})`,
);
