/**
 * The HTTP face of the sidecar: /metrics (content-negotiated, gzip), landing page, health and
 * readiness, and the ingest routes. Scrapes only read stored state; renders are serialized so
 * concurrent scrapes see consistent snapshots.
 */
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { basicAuth, BasicAuthVerifier } from './basic-auth.js';
import { renderLandingPage, type LandingStatus } from './landing-page.js';
import type { LoadedWebConfig } from './web-config.js';
import { OPENMETRICS_TEXT, PROMETHEUS_TEXT, wantsOpenMetrics } from './openmetrics.js';
import type { ExpositionBody, ExpositionFormat } from '../exposition/exposition.js';
import { ListenError, listenError } from './listen-error.js';

/**
 * In libuv's thread pool: compressing an exposition must not block the event loop. At zlib's fastest
 * level: the live bench's 166 kB exposition took 0.92 ms at the default level (16.6 kB), 0.32 ms at
 * level 1 (19.2 kB); a 700 kB one ~10 ms at the default (docs/performance.md, 3 December third round).
 */
const gzipAsync = promisify(gzip);
const GZIP = { level: constants.Z_BEST_SPEED };

export interface ServerOptions {
  /** The exposition as bytes, in the text format or OpenMetrics (see exposition.ts); released once sent. */
  render: (format: ExpositionFormat) => Promise<ExpositionBody>;
  status: () => LandingStatus;
  ready: () => boolean;
  ingest?: Router;
  web?: LoadedWebConfig;
  /** The web config's basic-auth users, shared with ingest; made from `web` when absent. */
  basicAuth?: BasicAuthVerifier;
}

/** The web config's basic-auth users as a verifier; undefined when basic auth is off. */
export function basicAuthVerifier(web: LoadedWebConfig | undefined): BasicAuthVerifier | undefined {
  const users = web?.config.basic_auth_users;
  return users && Object.keys(users).length > 0 ? new BasicAuthVerifier(users) : undefined;
}

export function parseListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  const host = i <= 0 ? '0.0.0.0' : listen.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(i < 0 ? listen : listen.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ListenError(`invalid listen address "${listen}": expected host:port (--web.listen-address or server.listen)`);
  return { host, port };
}

/**
 * res.end rather than express's res.send: send would hash the 730 kB body for an ETag on every
 * scrape, which no scraper asks for.
 */
function sendBytes(res: Response, bytes: Buffer): void {
  res.set('Content-Length', String(bytes.length));
  res.end(bytes);
}

export function createApp(opts: ServerOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const headers = opts.web?.config.http_server_config?.headers;
  if (headers) app.use((_req, res, next) => (res.set(headers), next()));
  app.get('/-/healthy', (_req, res) => {
    res.type('text').send('Healthy\n');
  });
  app.get('/-/ready', (_req, res) => {
    if (opts.ready()) res.type('text').send('Ready\n');
    else res.status(503).type('text').send('Not ready\n');
  });
  // Until the pipeline has resumed from its checkpoint, nothing is taken in and nothing is shown:
  // a record before the restore would be overwritten by it, a scrape would see counters from zero.
  const notReady = (_req: Request, res: Response, next: NextFunction) => {
    if (opts.ready()) return next();
    res.status(503).set('Retry-After', '1').type('text').send('Not ready\n');
  };
  // Ingest routes authenticate by the one auth model (http/ingest-auth.ts: bearer token or basic
  // auth); everything else (landing page, /metrics) with basic auth when configured. Health probes
  // stay open for the kubelet.
  if (opts.ingest) app.use((req, res, next) => (req.method === 'POST' ? notReady(req, res, next) : next()), opts.ingest);
  const verifier = opts.basicAuth ?? basicAuthVerifier(opts.web);
  if (verifier) app.use(basicAuth(verifier));
  let rendering: Promise<unknown> = Promise.resolve();

  app.get('/metrics', notReady, (req: Request, res: Response, next: NextFunction) => {
    const om = wantsOpenMetrics(req.get('accept'));
    const job = rendering.then(() => opts.render(om ? 'openmetrics' : 'text'));
    rendering = job.catch(() => undefined);
    job
      .then(async (body) => {
        res.set('Content-Type', om ? OPENMETRICS_TEXT : PROMETHEUS_TEXT);
        res.set('Vary', 'Accept, Accept-Encoding');
        if (/\bgzip\b/.test(req.get('accept-encoding') ?? '')) {
          let zipped: Buffer;
          try {
            zipped = await gzipAsync(body.bytes, GZIP);
          } finally {
            body.release();
          }
          res.set('Content-Encoding', 'gzip');
          sendBytes(res, zipped);
        } else {
          // The body's buffer is reused by a later render: back only once the socket is done with it.
          res.once('close', body.release);
          sendBytes(res, body.bytes);
        }
      })
      .catch(next);
  });
  app.get('/', (_req, res) => {
    res.type('html').send(renderLandingPage(opts.status()));
  });
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status ?? 500;
    const message = err.type === 'entity.too.large' ? 'request body too large' : err.message;
    res.status(status).json({ error: message });
  });
  return app;
}

export async function listen(app: express.Express, address: string, web?: LoadedWebConfig): Promise<{ server: Server; url: string }> {
  const { host, port } = parseListen(address);
  const server: Server = web?.tls ? createHttpsServer(web.tls, app) : createHttpServer(app);
  const scheme = web?.tls ? 'https' : 'http';
  return new Promise((resolve, reject) => {
    server.listen(port, host);
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(address, err)));
    server.once('listening', () => {
      const a = server.address() as AddressInfo;
      const shown = a.address === '0.0.0.0' || a.address === '::' ? '127.0.0.1' : a.address;
      resolve({ server, url: `${scheme}://${shown.includes(':') ? `[${shown}]` : shown}:${a.port}` });
    });
  });
}
