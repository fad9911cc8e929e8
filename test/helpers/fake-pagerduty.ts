/**
 * A local HTTP server standing in for PagerDuty's Events API v2 (`POST /v2/enqueue`). It records
 * every request it receives, parsed, with the status it answered, so a test can assert what
 * Alertmanager sent and that a throttled (429) event was retried. `throttleFirst` answers that many
 * requests with 429 before accepting (202, as PagerDuty does).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

/** The Events API v2 event as Alertmanager's pagerduty notifier sends it. */
export interface PagerDutyEvent {
  routing_key?: string;
  event_action?: string;
  dedup_key?: string;
  payload?: {
    summary?: string;
    source?: string;
    severity?: string;
    class?: string;
    component?: string;
    group?: string;
    custom_details?: Record<string, unknown>;
  };
  links?: { href: string; text: string }[];
  client?: string;
  client_url?: string;
}

export interface ReceivedRequest {
  path: string;
  /** The status this server answered. */
  status: number;
  event: PagerDutyEvent;
  receivedAt: number;
}

export interface FakePagerDuty {
  /** The Events API URL to put in the receiver's `url`. */
  url: string;
  received: ReceivedRequest[];
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakePagerDuty(opts: { throttleFirst?: number } = {}): Promise<FakePagerDuty> {
  let throttleLeft = opts.throttleFirst ?? 0;
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      let event: PagerDutyEvent = {};
      try {
        event = JSON.parse(body) as PagerDutyEvent;
      } catch {
        // Kept as an empty event: the test's field assertions then say what was wrong.
      }
      const throttled = throttleLeft > 0;
      if (throttled) throttleLeft--;
      const status = throttled ? 429 : 202;
      received.push({ path: req.url ?? '', status, event, receivedAt: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        throttled
          ? JSON.stringify({ status: 'throttle event', message: 'Requests for this service are arriving too quickly.' })
          : JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: event.dedup_key }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/v2/enqueue`,
    received,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
