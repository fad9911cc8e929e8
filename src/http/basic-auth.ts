/**
 * Basic auth against bcrypt hashes. An unknown user is checked against a dummy hash of the same cost,
 * so unknown user and wrong password take the same path and the same time. Verified credentials are
 * cached (keyed by a SHA-256 of user and password) because bcrypt is deliberately slow and
 * Prometheus sends the same credentials every scrape.
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { NextFunction, Request, Response } from 'express';

export function basicAuth(users: Record<string, string>) {
  const verified = new Set<string>();
  // Made once per server with basic auth, not at import: bcrypt is deliberately slow.
  const DUMMY_HASH = bcrypt.hashSync('modelwatch-no-such-user', 10);
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization') ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const user = colon >= 0 ? decoded.slice(0, colon) : '';
    const password = colon >= 0 ? decoded.slice(colon + 1) : '';
    const key = createHash('sha256').update(`${user}\u0000${password}`).digest('hex');
    if (colon >= 0 && verified.has(key)) return next();
    const hash = Object.prototype.hasOwnProperty.call(users, user) ? users[user] : DUMMY_HASH;
    bcrypt.compare(password, hash).then(
      (ok) => {
        if (ok && hash !== DUMMY_HASH) {
          if (verified.size > 1000) verified.clear();
          verified.add(key);
          next();
        } else {
          res.status(401).set('WWW-Authenticate', 'Basic realm="modelwatch"').type('text').send('Unauthorized\n');
        }
      },
      (err: unknown) => next(err),
    );
  };
}
