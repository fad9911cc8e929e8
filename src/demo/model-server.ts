/**
 * The demo's simulated model server, run as its own process: it serves the MPG model on cars that
 * walk forward through the model years (so inputs and errors really drift), with log-normal latency,
 * occasional slow requests, 5xx errors and malformed lines, and writes the true MPG later as
 * delayed labels. Logs rotate by rename like a real server's.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../stats/random.js';
import { loadCars, modelYear, type Car } from './cars.js';
import { fitMpgModel } from './mpg-model.js';

export interface ModelServerOptions {
  dir: string;
  /** Records per second. */
  rate: number;
  /** Seconds spent on the training years (1970–74) before walking forward. */
  warmupSeconds: number;
  /** Seconds per later model year. */
  yearSeconds: number;
  seed: number;
  /** Rotate requests.jsonl past this size. */
  rotateBytes: number;
}

export const MODEL = { name: 'auto-mpg', version: 'ols-1970-74' };

/** Box–Muller normal from a uniform source. */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** What the server logs, as a function of time: request lines and, later, their labels. */
export interface DemoTraffic {
  /** One request log line for a request served at `now` (ms). */
  emit(now: number): string;
  /** Label lines that are due by `now` (ms), each once. */
  dueLabels(now: number): string[];
}

/** The traffic of a server started at `started` (ms); pure but for its seeded randomness, so tests can replay it on any clock. */
export function createTraffic(o: Pick<ModelServerOptions, 'warmupSeconds' | 'yearSeconds' | 'seed'>, started: number): DemoTraffic {
  const cars = loadCars();
  const train = cars.filter((c) => modelYear(c) <= 1974);
  const model = fitMpgModel(train);
  const rand = mulberry32(o.seed);
  let pendingLabels: { due: number; line: string }[] = [];
  let seq = 0;

  const poolFor = (elapsed: number): Car[] => {
    if (elapsed < o.warmupSeconds) return train;
    const year = Math.min(1982, 1975 + Math.floor((elapsed - o.warmupSeconds) / o.yearSeconds));
    return cars.filter((c) => modelYear(c) >= year - 2 && modelYear(c) <= year);
  };

  const emit = (now: number): string => {
    const pool = poolFor((now - started) / 1000);
    const car = pool[Math.floor(rand() * pool.length)];
    const jitter = (v: number) => Math.round(v * (1 + 0.02 * normal(rand)) * 10) / 10;
    const features = {
      Cylinders: car.Cylinders,
      Displacement: jitter(car.Displacement),
      Horsepower: car.Horsepower === null ? null : jitter(car.Horsepower),
      Weight_in_lbs: Math.round(jitter(car.Weight_in_lbs)),
      Acceleration: jitter(car.Acceleration),
      Origin: car.Origin,
    };
    const id = `req-${started.toString(36)}-${(seq++).toString(36)}`;
    const slow = rand() < 0.01;
    const latencyMs = Math.round(12 * Math.exp(0.5 * normal(rand)) * (slow ? 15 + 10 * rand() : 1) * 100) / 100;
    const failed = rand() < 0.01;
    const base = { timestamp: new Date(now).toISOString(), request_id: id, model: MODEL.name, model_version: MODEL.version, features };
    if (failed) {
      return JSON.stringify({ ...base, latency_ms: latencyMs, status: 503, error: rand() < 0.5 ? 'worker_overloaded' : 'inference_timeout' });
    }
    const prediction = Math.round(model.predict(features) * 100) / 100;
    if (car.Miles_per_Gallon !== null) {
      const delay = 5_000 + rand() * 15_000;
      pendingLabels.push({ due: now + delay, line: JSON.stringify({ request_id: id, label: car.Miles_per_Gallon, timestamp: new Date(now + delay).toISOString() }) });
    }
    const line = JSON.stringify({ ...base, prediction, latency_ms: latencyMs, status: 200 });
    // A few torn writes, as a crashing logger leaves them.
    return rand() < 0.003 ? line.slice(0, Math.floor(line.length / 2)) : line;
  };

  const dueLabels = (now: number): string[] => {
    const due = pendingLabels.filter((l) => l.due <= now);
    if (due.length > 0) pendingLabels = pendingLabels.filter((l) => l.due > now);
    return due.map((l) => l.line);
  };
  return { emit, dueLabels };
}

export function startModelServer(o: ModelServerOptions): { stop(): void } {
  mkdirSync(o.dir, { recursive: true });
  const requests = join(o.dir, 'requests.jsonl');
  const labels = join(o.dir, 'labels.jsonl');
  // Create the logs at once, as a server opening its log files does.
  appendFileSync(requests, '');
  appendFileSync(labels, '');
  const traffic = createTraffic(o, Date.now());

  let carry = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    carry += o.rate / 10;
    const n = Math.floor(carry);
    carry -= n;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(traffic.emit(now));
    if (lines.length > 0) appendFileSync(requests, lines.join('\n') + '\n');
    const due = traffic.dueLabels(now);
    if (due.length > 0) appendFileSync(labels, due.join('\n') + '\n');
    if (existsSync(requests) && statSync(requests).size > o.rotateBytes) renameSync(requests, `${requests}.1`);
  }, 100);
  return { stop: () => clearInterval(timer) };
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

// Run as a child process: `model-server --dir D [--rate N]`.
if (process.argv[1] && /model-server\.(ts|js)$/.test(process.argv[1])) {
  const i = process.argv.indexOf('--dir');
  if (i < 0) {
    console.error('usage: model-server --dir DIR [--rate N] [--warmup S] [--year S] [--seed N]');
    process.exit(2);
  }
  const server = startModelServer({
    dir: process.argv[i + 1],
    rate: arg('rate', 25),
    warmupSeconds: arg('warmup', 60),
    yearSeconds: arg('year', 20),
    seed: arg('seed', 1970),
    rotateBytes: arg('rotate-bytes', 2 * 1024 * 1024),
  });
  const stop = () => {
    server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
