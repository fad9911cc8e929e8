/**
 * Model logs of any width and rate for the drift, metrics and memory benches: `features` features
 * (four in five numeric), timestamps `1 / recordsPerSecond` apart. Fixed seed; written once, reused.
 */
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { mulberry32 } from '../src/stats/random.js';

const CATEGORIES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

export function wideFeatures(features: number): { name: string; type: 'numeric' | 'categorical' }[] {
  return Array.from({ length: features }, (_, i) => ({ name: `f${String(i).padStart(4, '0')}`, type: i % 5 === 4 ? 'categorical' : 'numeric' }));
}

export async function writeWideLog(path: string, features: number, lines: number, recordsPerSecond: number): Promise<void> {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const rand = mulberry32(7);
  const spec = wideFeatures(features);
  const out = createWriteStream(path);
  const start = Date.UTC(2026, 0, 1);
  let batch: string[] = [];
  for (let i = 0; i < lines; i++) {
    const drifted = i > lines / 2;
    const row: Record<string, number | string> = {};
    for (const [f, { name, type }] of spec.entries()) {
      row[name] = type === 'numeric' ? Math.round((rand() * 100 + (drifted && f % 10 === 0 ? 20 : 0)) * 1000) / 1000 : CATEGORIES[Math.floor(rand() * 5)];
    }
    batch.push(
      JSON.stringify({
        timestamp: new Date(start + (i * 1000) / recordsPerSecond).toISOString(),
        request_id: `req-${i.toString(36)}`,
        model: 'bench-model',
        model_version: 'v1',
        features: row,
        prediction: Math.round(rand() * 10000) / 10000,
        latency_ms: Math.round(5 + rand() * rand() * 200),
        status: rand() < 0.01 ? 500 : 200,
      }),
    );
    if (batch.length === 1000) {
      if (!out.write(batch.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      batch = [];
    }
  }
  if (batch.length) out.write(batch.join('\n') + '\n');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}
