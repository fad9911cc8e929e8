/**
 * One auth model for the whole server. Ingest writes into the pipeline, so it is never more open
 * than /metrics: when the web config turns basic auth on, ingest needs credentials too — the bearer
 * token (when configured) or a basic-auth user — unless `ingest.allow_unauthenticated: true` says
 * otherwise in so many words. Without basic auth, ingest needs the bearer token when one is set and
 * is open otherwise (as before).
 */
import type { NextFunction, Request, Response } from 'express';
import { bearerMatches } from '../sources/http-ingest.js';
import { refuse, type BasicAuthVerifier } from './basic-auth.js';

export interface IngestAuthOptions {
  bearerToken?: string;
  /** Present when the web config has basic_auth_users. */
  basic?: BasicAuthVerifier;
  /** `ingest.allow_unauthenticated`: ingest does not need the basic-auth credentials. */
  allowUnauthenticated: boolean;
}

export function ingestAuth(o: IngestAuthOptions) {
  const needsBasic = o.basic !== undefined && !o.allowUnauthenticated;
  const challenge = o.bearerToken === undefined ? 'Basic realm="modelwatch"' : 'Bearer, Basic realm="modelwatch"';
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization');
    if (o.bearerToken !== undefined && bearerMatches(header, o.bearerToken)) return next();
    if (!needsBasic) {
      if (o.bearerToken === undefined) return next();
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'missing or wrong bearer token' });
      return;
    }
    o.basic!.verify(header).then(
      (outcome) => (outcome === 'ok' ? next() : refuse(res, outcome, challenge)),
      (err: unknown) => next(err),
    );
  };
}
