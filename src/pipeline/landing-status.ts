/** What the landing page shows about the running pipeline: version, readiness, analyzers, sources. */
import type { LandingStatus } from '../http/landing-page.js';
import type { SourceStatsTable } from '../records/source-stats.js';
import type { Source } from '../sources/source.js';
import { VERSION } from '../core/version.js';

export interface StatusInputs {
  ready: boolean;
  startedAt: number;
  analyzers: string[];
  stats: SourceStatsTable;
  sources: readonly Source[];
}

export function landingStatus(s: StatusInputs): LandingStatus {
  return {
    version: VERSION,
    ready: s.ready,
    startedAt: s.startedAt,
    analyzers: s.analyzers,
    sources: [...s.stats.entries()].map(([name, st]) => ({
      name,
      lines: st.lines,
      records: st.records + st.labels,
      errors: st.errorCount(),
      lagBytes: s.sources.find((src) => src.name === name)?.lagBytes?.(),
    })),
  };
}
