/**
 * `npx tsx bench/scanner.ts`: the line scanner alone against JSON.parse (+ copying the features out,
 * what the generic preset did before) on the ingest bench's lines, and the records stage as the
 * pipeline runs it (scan + map to a lent record: timestamps, ids, model, outputs). Best of 15 over
 * 50k lines, ns a line, CPU time of this thread (user + sys: the machine is shared). The scanner reads
 * the lines' bytes in one buffer, as the tailer hands them over; JSON.parse is timed on already
 * decoded strings and with the decoding (what the text path costs). Needs the ingest log: run
 * `npm run bench:ingest` once (BENCH_LINES picks the file).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSchema } from '../src/config/schema.js';
import { ManualClock } from '../src/core/clock.js';
import { featuresFromObject } from '../src/records/features.js';
import { createRecordMapper } from '../src/records/mapper.js';
import type { ModelRecord } from '../src/records/model-record.js';
import { LineScanner } from '../src/records/scanner.js';
import { ROOT } from './build.js';

const n = Number(process.env.BENCH_LINES ?? 1_000_000);
const log = join(ROOT, '.bench', `model-log-${n}.jsonl`);
if (!existsSync(log)) throw new Error(`${log} not found: run npm run bench:ingest first (same BENCH_LINES)`);
// Lines as the splitter makes them: flat strings decoded from bytes, not slices of one big string.
const text = readFileSync(log, 'utf8');
const lines = text.slice(0, text.indexOf('\n', 600 * 50_000)).split('\n').slice(0, 50_000).map((l) => Buffer.from(l).toString());
const scanner = new LineScanner(['timestamp', 'request_id', 'model', 'model_version', 'features', 'prediction', 'scores', 'latency_ms', 'status', 'error'], 4);
const mapper = createRecordMapper(formatSchema.parse({}), { defaults: { model: 'm', version: 'v' }, pairing: { ttl: 60, max_pending: 1000 }, clock: new ManualClock(0) });
const mapBytes = mapper.mapBytes!;
const out: ModelRecord[] = [];
// The lines' bytes one after the other, LF-separated, as in a read buffer.
const bytes = Buffer.from(lines.join('\n') + '\n');
const starts: number[] = [];
for (let at = 0; at < bytes.length; at = bytes.indexOf(0x0a, at) + 1) starts.push(at);
starts.push(bytes.length);
const best = { decodeAndParse: Infinity, parse: Infinity, parseAndCopy: Infinity, scan: Infinity, map: Infinity };
let sink = 0;

/** CPU ms of this process spent in `run`. */
function cpuMs(run: () => void): number {
  const t = process.cpuUsage();
  run();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

for (let rep = 0; rep < 15; rep++) {
  best.parse = Math.min(best.parse, cpuMs(() => { for (const l of lines) sink += (JSON.parse(l) as { status: number }).status; }));
  best.parseAndCopy = Math.min(best.parseAndCopy, cpuMs(() => {
    for (const l of lines) sink += Object.keys(featuresFromObject((JSON.parse(l) as { features: Record<string, unknown> }).features)).length;
  }));
  best.decodeAndParse = Math.min(best.decodeAndParse, cpuMs(() => {
    for (let k = 0; k + 1 < starts.length; k++) sink += (JSON.parse(bytes.toString('utf8', starts[k], starts[k + 1] - 1)) as { status: number }).status;
  }));
  best.scan = Math.min(best.scan, cpuMs(() => { for (let k = 0; k + 1 < starts.length; k++) sink += scanner.scanBytes(bytes, starts[k], starts[k + 1] - 1) ? 1 : 0; }));
  best.map = Math.min(best.map, cpuMs(() => {
    for (let k = 0; k + 1 < starts.length; k++) {
      out.length = 0;
      if (mapBytes(bytes, starts[k], starts[k + 1] - 1, out, true) === 'ok') sink += out[0].timestamp;
    }
  }));
}
const ns = (ms: number) => `${Math.round((ms * 1e6) / lines.length)} ns/line`;
console.log(
  `JSON.parse ${ns(best.parse)} (with decoding the bytes ${ns(best.decodeAndParse)}), JSON.parse + features copy ${ns(best.parseAndCopy)}, scanner over the bytes ${ns(best.scan)}, scan + map (lent record) ${ns(best.map)} (${sink > 0 ? 'ok' : ''})`,
);
