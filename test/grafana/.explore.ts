import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSidecar } from '../helpers/sidecar.js';
import { ChurnStream, logBatch, unansweredKServeRequest } from './drifting-fixture.js';
const dir = mkdtempSync(join(tmpdir(), 'mw-explore-'));
const s = new ChurnStream(7);
writeFileSync(join(dir, 'ref.csv'), s.referenceCsv(1000));
const now = Date.now() / 1000;
const a = logBatch(s, 0, 600, false, now - 60), b = logBatch(s, 600, 600, true, now - 30);
writeFileSync(join(dir, 'requests.jsonl'), [...a.requests, ...b.requests].join('\n') + '\n');
writeFileSync(join(dir, 'labels.jsonl'), [...a.labels, ...b.labels].join('\n') + '\n');
writeFileSync(join(dir, 'kserve.jsonl'), unansweredKServeRequest(now) + '\n');
process.env.FAKE_NVIDIA_SMI_CASE = `${process.cwd()}/test/fixtures/collectors/nvidia-smi/h100-1gpu`;
const sc = await startSidecar({
  sources: [
    { type: 'file', name: 'requests', paths: [join(dir, 'requests.jsonl')], start_at: 'beginning', poll_interval: '100ms' },
    { type: 'file', name: 'labels', role: 'labels', paths: [join(dir, 'labels.jsonl')], start_at: 'beginning', poll_interval: '100ms' },
    { type: 'file', name: 'kserve', paths: [join(dir, 'kserve.jsonl')], start_at: 'beginning', poll_interval: '100ms', format: { preset: 'kserve' } },
  ],
  pairing: { ttl: '10m' },
  reference: { path: join(dir, 'ref.csv'), prediction_column: 'prediction', label_column: 'label' },
  drift: { interval: '1s', min_samples: 50, windows: [{ count: 500 }] },
  resources: { target: { pid: process.pid }, interval: '1s', gpu: { nvidia_smi: `${process.cwd()}/test/fixtures/collectors/fake-bin/nvidia-smi`, interval: '1s' } },
});
await new Promise((r) => setTimeout(r, 3000));
const text = await (await fetch(`${sc.url}/metrics`)).text();
console.log(text.split('\n').filter((l) => !l.startsWith('#') && !l.startsWith('nodejs_') && !l.startsWith('process_')).join('\n'));
await sc.stop();
