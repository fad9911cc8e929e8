/**
 * HTTP ingest: POST /v1/records and /v1/labels (NDJSON or a JSON array), and KServe's payload
 * logger (CloudEvents, binary or structured mode, on POST / and /v1/cloudevents), so a KServe user
 * needs no log file. Bodies are size-limited; a bearer token is compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

export interface IngestTarget {
  /** Delivers one decoded JSON value; returns an error reason when it could not be mapped. */
  value(value: unknown, source: string): string | undefined;
  /** Counts a body line that was not valid JSON. */
  dropped(reason: string, source: string): void;
}

export interface IngestOptions {
  maxBodyBytes: number;
  bearerToken?: string;
  /** Replaces the bearer-token check (the server's one auth model, http/ingest-auth.ts). */
  authorize?: (req: Request, res: Response, next: NextFunction) => void;
  records: IngestTarget;
  labels: IngestTarget;
  kserve: IngestTarget;
  /** Builds a structured CloudEvent from binary-mode headers and body. */
  cloudEventFromBinary(headers: Record<string, string | string[] | undefined>, body: unknown): object;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Constant-time: both sides hashed to equal length, so neither length nor content leaks by timing. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = header?.startsWith('Bearer ') ? header.slice(7) : '';
  return timingSafeEqual(digest(presented), digest(token)) && presented.length > 0;
}

interface BodyError {
  line: number;
  reason: string;
}

/** Splits an NDJSON body or unpacks a JSON array; reports the first malformed line by number. */
export function decodeBody(text: string): { values: unknown[]; errors: BodyError[] } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return { values: parsed, errors: [] };
    } catch {
      return { values: [], errors: [{ line: 1, reason: 'invalid_json' }] };
    }
  }
  const values: unknown[] = [];
  const errors: BodyError[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    try {
      values.push(JSON.parse(line));
    } catch {
      errors.push({ line: i + 1, reason: 'invalid_json' });
    }
  }
  return { values, errors };
}

export function ingestRouter(opts: IngestOptions): Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: opts.maxBodyBytes });

  const auth = opts.authorize ?? ((req: Request, res: Response, next: NextFunction): void => {
    if (opts.bearerToken === undefined || bearerMatches(req.get('authorization'), opts.bearerToken)) return next();
    res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'missing or wrong bearer token' });
  });

  const ndjson = (target: IngestTarget, source: string) => (req: Request, res: Response) => {
    const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const { values, errors } = decodeBody(text);
    for (const e of errors) target.dropped(e.reason, source);
    let accepted = 0;
    const rejected: BodyError[] = [...errors];
    values.forEach((v, i) => {
      const reason = target.value(v, source);
      if (reason === undefined) accepted++;
      else rejected.push({ line: i + 1, reason });
    });
    if (errors.length > 0) {
      res.status(400).json({ error: `line ${errors[0].line}: not valid JSON`, accepted, rejected });
      return;
    }
    res.status(200).json({ accepted, rejected });
  };

  const cloudEvents = (req: Request, res: Response) => {
    const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    let body: unknown = undefined;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        opts.kserve.dropped('invalid_json', 'kserve');
        res.status(400).json({ error: 'body is not valid JSON' });
        return;
      }
    }
    const type = req.get('content-type') ?? '';
    let events: unknown[];
    if (type.includes('application/cloudevents-batch+json') && Array.isArray(body)) events = body;
    else if (type.includes('application/cloudevents+json')) events = [body];
    else events = [opts.cloudEventFromBinary(req.headers, body)];
    const rejected = events.map((e) => opts.kserve.value(e, 'kserve')).filter((r) => r !== undefined);
    // KServe's logger retries non-2xx answers; a mapping problem is ours to count, not its to retry.
    res.status(202).json({ accepted: events.length - rejected.length, rejected });
  };

  router.post('/v1/records', auth, raw, ndjson(opts.records, 'http'));
  router.post('/v1/labels', auth, raw, ndjson(opts.labels, 'http_labels'));
  router.post(['/', '/v1/cloudevents'], auth, raw, cloudEvents);
  return router;
}
