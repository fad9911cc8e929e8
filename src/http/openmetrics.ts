/**
 * OpenMetrics 1.0 content negotiation, and OpenMetrics from a Prometheus text rendering (replay's
 * writer). prom-client switches a registry to OpenMetrics by renaming counter objects in place
 * (dropping `_total`), which corrupts later text scrapes of the same registry; so /metrics writes
 * OpenMetrics itself (exposition.ts, tested to equal toOpenMetrics of the text): counter families
 * lose `_total` in their HELP/TYPE lines (samples keep it), and the exposition ends with `# EOF`.
 */
export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_TEXT = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

export function toOpenMetrics(text: string): string {
  const lines = text.split('\n');
  const counters = new Set<string>();
  for (const line of lines) {
    const m = /^# TYPE (\S+) counter$/.exec(line);
    if (m) counters.add(m[1]);
  }
  const out: string[] = [];
  for (const line of lines) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+)(.*)$/.exec(line);
    if (meta && counters.has(meta[2]) && meta[2].endsWith('_total')) {
      out.push(`# ${meta[1]} ${meta[2].slice(0, -'_total'.length)}${meta[3]}`);
    } else {
      out.push(line);
    }
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

/** Content negotiation on Accept: OpenMetrics when the scraper asks for it, else text 0.0.4. */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept);
}
