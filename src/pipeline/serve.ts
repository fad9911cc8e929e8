/**
 * The HTTP side: /metrics, landing page, health, readiness and the ingest routes. Express and bcrypt
 * are loaded here, on demand, so a one-shot run never pays for them.
 */
import type { Server } from 'node:http';
import type { Logger } from '../core/log.js';
import type { Config } from '../config/schema.js';
import type { LandingStatus } from '../http/landing-page.js';
import { cloudEventFromBinary } from '../records/presets/kserve.js';
import type { StreamFactory } from './build-sources.js';
import type { ExpositionBody, ExpositionFormat } from '../exposition/exposition.js';

export interface ServeOptions {
  config: Config;
  logger: Logger;
  newStream: StreamFactory;
  render: (format: ExpositionFormat) => Promise<ExpositionBody>;
  ready: () => boolean;
  status: () => LandingStatus;
}

export async function serve(o: ServeOptions): Promise<{ server: Server; url: string }> {
  const [{ createApp, listen, basicAuthVerifier }, { ingestRouter }, { loadWebConfig }, { ingestAuth }] = await Promise.all([
    import('../http/server.js'),
    import('../sources/http-ingest.js'),
    import('../http/web-config.js'),
    import('../http/ingest-auth.js'),
  ]);
  const { config } = o;
  const web = config.server.web_config_file ? loadWebConfig(config.server.web_config_file) : undefined;
  const basic = basicAuthVerifier(web);
  const ingest = config.ingest.enabled
    ? ingestRouter({
        maxBodyBytes: config.ingest.max_body_bytes,
        bearerToken: config.ingest.bearer_token,
        authorize: ingestAuth({ bearerToken: config.ingest.bearer_token, basic, allowUnauthenticated: config.ingest.allow_unauthenticated ?? false }),
        records: o.newStream(config.ingest.format, 'records'),
        labels: o.newStream(config.ingest.format, 'labels'),
        kserve: o.newStream(config.ingest.kserve_format, 'records'),
        cloudEventFromBinary,
      })
    : undefined;
  const app = createApp({ render: o.render, web, ready: o.ready, ingest, status: o.status, basicAuth: basic });
  const served = await listen(app, config.server.listen, web);
  o.logger.info({ url: served.url }, 'serving /metrics');
  return served;
}
