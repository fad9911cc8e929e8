/**
 * Basic auth against bcrypt hashes, kept off the event loop. bcrypt is deliberately slow (tens of
 * milliseconds a check); on the event loop, a hundred bad passwords would hold every probe and
 * scrape behind them. So:
 *   - a request without `Authorization: Basic …` is refused at once: it never reaches bcrypt;
 *   - checks run in one worker thread, at most MAX_QUEUED waiting (past that: 503, retry later);
 *   - outcomes are cached per credential (a SHA-256 of user and password): Prometheus sends the
 *     same credentials every scrape, and a repeated wrong password costs one check, not one per try.
 * An unknown user is checked against a dummy hash of the same cost, so unknown user and wrong
 * password take the same path and the same time.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import bcrypt from 'bcryptjs';
import type { NextFunction, Request, Response } from 'express';

const MAX_QUEUED = 256;
const MAX_CACHED = 1000;

// CommonJS, so it runs as is under tsx and from dist/: it loads bcryptjs by the path resolved here.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcrypt);
parentPort.on('message', ({ id, password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage({ id, ok });
});
`;

/** One worker thread comparing passwords with bcrypt hashes, in order. */
class BcryptWorker {
  private worker: Worker | undefined;
  private next = 0;
  private readonly waiting = new Map<number, (ok: boolean) => void>();

  get queued(): number {
    return this.waiting.size;
  }

  compare(password: string, hash: string): Promise<boolean> {
    const worker = (this.worker ??= this.start());
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      worker.postMessage({ id, password, hash });
    });
  }

  private start(): Worker {
    const w = new Worker(WORKER, { eval: true, workerData: { bcrypt: createRequire(import.meta.url).resolve('bcryptjs') } });
    // The server's close() must not wait for an idle worker.
    w.unref();
    w.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
      this.waiting.get(id)?.(ok);
      this.waiting.delete(id);
    });
    w.on('error', () => this.fail());
    w.on('exit', () => this.fail());
    return w;
  }

  /** A dead worker refuses what it held; the next check starts a new one. */
  private fail(): void {
    this.worker = undefined;
    for (const resolve of this.waiting.values()) resolve(false);
    this.waiting.clear();
  }
}

/** Outcomes per credential, oldest forgotten first. */
class OutcomeCache {
  private readonly outcomes = new Map<string, boolean>();

  get(key: string): boolean | undefined {
    return this.outcomes.get(key);
  }

  set(key: string, ok: boolean): void {
    if (this.outcomes.size >= MAX_CACHED) this.outcomes.delete(this.outcomes.keys().next().value!);
    this.outcomes.set(key, ok);
  }
}

export interface Credentials {
  user: string;
  password: string;
}

/** The user and password of an `Authorization: Basic` header, or undefined. */
export function basicCredentials(header: string | undefined): Credentials | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export type AuthOutcome = 'ok' | 'unauthorized' | 'busy';

/** Checks credentials against the users' bcrypt hashes; shared by /metrics and ingest. */
export class BasicAuthVerifier {
  private readonly worker = new BcryptWorker();
  private readonly cache = new OutcomeCache();
  /** Made once per server with basic auth, not at import: bcrypt is deliberately slow. */
  private readonly dummyHash = bcrypt.hashSync('modelwatch-no-such-user', 10);

  constructor(private readonly users: Record<string, string>) {}

  async verify(header: string | undefined): Promise<AuthOutcome> {
    const c = basicCredentials(header);
    if (!c) return 'unauthorized';
    const key = createHash('sha256').update(`${c.user}\u0000${c.password}`).digest('hex');
    const known = this.cache.get(key);
    if (known !== undefined) return known ? 'ok' : 'unauthorized';
    if (this.worker.queued >= MAX_QUEUED) return 'busy';
    const exists = Object.prototype.hasOwnProperty.call(this.users, c.user);
    const ok = (await this.worker.compare(c.password, exists ? this.users[c.user] : this.dummyHash)) && exists;
    this.cache.set(key, ok);
    return ok ? 'ok' : 'unauthorized';
  }
}

export function refuse(res: Response, outcome: Exclude<AuthOutcome, 'ok'>, challenge = 'Basic realm="modelwatch"'): void {
  if (outcome === 'busy') res.status(503).set('Retry-After', '1').type('text').send('Too many credential checks in flight\n');
  else res.status(401).set('WWW-Authenticate', challenge).type('text').send('Unauthorized\n');
}

export function basicAuth(verifier: BasicAuthVerifier) {
  return (req: Request, res: Response, next: NextFunction): void => {
    verifier.verify(req.get('authorization')).then(
      (outcome) => (outcome === 'ok' ? next() : refuse(res, outcome)),
      (err: unknown) => next(err),
    );
  };
}
