/**
 * The benchmark's model log: fixed seed, 20 features (15 numeric, 5 categorical), latency, status,
 * model and version, about 530 bytes per line, with the second half drifting. Written once and
 * reused (it is a pure function of its arguments).
 */
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { mulberry32 } from '../src/stats/random.js';

export const NUMERIC = Array.from({ length: 15 }, (_, i) => `num_${String(i).padStart(2, '0')}`);
export const CATEGORICAL = Array.from({ length: 5 }, (_, i) => `cat_${i}`);
const CATEGORIES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

export function line(i: number, n: number, rand: () => number, start: number): string {
  const drifted = i > n / 2;
  const features: Record<string, number | string> = {};
  for (let f = 0; f < NUMERIC.length; f++) features[NUMERIC[f]] = Math.round((rand() * 100 + (drifted && f < 5 ? 20 : 0)) * 1000) / 1000;
  for (let f = 0; f < CATEGORICAL.length; f++) features[CATEGORICAL[f]] = CATEGORIES[Math.floor(rand() * (drifted && f === 0 ? 8 : 5))];
  const status = rand() < 0.01 ? 500 : 200;
  return JSON.stringify({
    timestamp: new Date(start + i).toISOString(),
    request_id: `req-${i.toString(36).padStart(8, '0')}`,
    model: 'bench-model',
    model_version: 'v1',
    features,
    prediction: Math.round(rand() * 10000) / 10000,
    latency_ms: Math.round(5 + rand() * rand() * 200),
    status,
  });
}

export async function generateLog(path: string, n: number, seed = 42): Promise<void> {
  if (existsSync(path) && statSync(path).size > n * 100) return;
  mkdirSync(dirname(path), { recursive: true });
  const rand = mulberry32(seed);
  const out = createWriteStream(path);
  const start = Date.UTC(2026, 0, 1);
  const batch: string[] = [];
  for (let i = 0; i < n; i++) {
    batch.push(line(i, n, rand, start));
    if (batch.length === 10_000) {
      if (!out.write(batch.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      batch.length = 0;
    }
  }
  if (batch.length) out.write(batch.join('\n') + '\n');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}
