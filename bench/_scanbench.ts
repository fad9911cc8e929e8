import { readFileSync } from 'node:fs';
import { LineScanner } from '../src/records/scanner.js';
const lines = readFileSync('/work/main/.bench/model-log-200000.jsonl', 'utf8').split('\n').filter(Boolean).slice(0, 100000).map((l) => Buffer.from(l).toString());
const s = new LineScanner(['timestamp','request_id','model','model_version','features','prediction','scores','latency_ms','status','error'], 4);
for (let rep = 0; rep < 3; rep++) {
  let t = performance.now(); let n = 0;
  for (const l of lines) { const v = JSON.parse(l); n += Object.keys(v.features).length; }
  const tp = performance.now() - t;
  t = performance.now();
  for (const l of lines) { s.scan(l); n += s.row ? 1 : 0; }
  const ts = performance.now() - t;
  console.log(`JSON.parse ${(tp*1e6/lines.length).toFixed(0)} ns/line, scan ${(ts*1e6/lines.length).toFixed(0)} ns/line`, n);
}
