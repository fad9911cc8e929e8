import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSidecar } from '../helpers/sidecar.js';
import { ChurnStream, logBatch } from './drifting-fixture.js';
const dir = mkdtempSync(join(tmpdir(), 'mw-explore-'));
const s = new ChurnStream(7);
writeFileSync(join(dir, 'ref.csv'), s.referenceCsv(1000));
const now = Date.now() / 1000;
const a = logBatch(s, 0, 600, false, now - 60), b = logBatch(s, 600, 600, true, now - 30);
writeFileSync(join(dir, 'requests.jsonl'), [...a.requests, ...b.requests].join('\n') + '\n');
writeFileSync(join(dir, 'labels.jsonl'), [...a.labels, ...b.labels].join('\n') + '\n');
const sc = await startSidecar({
  sources: [
    { type: 'file', name: 'requests', paths: [join(dir, 'requests.jsonl')], start_at: 'beginning', poll_interval: '100ms' },
    { type: 'file', name: 'labels', role: 'labels', paths: [join(dir, 'labels.jsonl')], start_at: 'beginning', poll_interval: '100ms' },
  ],
  reference: { path: join(dir, 'ref.csv'), prediction_column: 'prediction', label_column: 'label' },
  drift: { interval: '1s', min_samples: 50, windows: [{ count: 500 }] },
  quality: { segments: { fields: ['region'] }, fairness: { attribute: 'region' } },
  resources: { enabled: false },
});
await new Promise((r) => setTimeout(r, 3000));
const text = await (await fetch(`${sc.url}/metrics`)).text();
console.log(text.split('\n').filter((l) => /^modelwatch_(model_quality|fairness|concept|labels|predictions|label_delay_seconds_count|data_quality|feature_issue|feature_value\{[^}]*feature="age")/.test(l)).join('\n'));
await sc.stop();
