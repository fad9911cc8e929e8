/**
 * 12b. A log path that matches no file from the start (a wrong glob, a volume not mounted). The
 * sidecar runs, is scraped, and reads nothing; it exports modelwatch_source_files{source} = 0. The
 * alert needs that for `for: 10m`: within 11 minutes of the start. Until the sidecar exports the
 * metric, this scenario fails and says so.
 */
import { join } from 'node:path';
import { scrapeLiveSidecar } from '../harness/live-series.js';
import { SeriesSet } from '../harness/series.js';
import type { Scenario } from './scenario.js';
import { START_MS, target } from './sidecar-config.js';

const END = 30;

export const noFiles: Scenario = {
  id: '12b',
  title: 'a log path that matches no file',
  data: 'live sidecar, source path /…/model-server/*.jsonl with no such file',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [{ name: 'no file from the start', start: 0, end: END }],
  expect: [{ alert: 'ModelwatchSourceNoFiles', labels: { source: 'requests' }, fires: true, withinMinutes: 11 }],
  async build({ dir, keep }) {
    const config = `log: { level: error }\nsources:\n  - { type: file, name: requests, paths: [${JSON.stringify(join(dir, 'model-server', '*.jsonl'))}] }\n`;
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    const text = await scrapeLiveSidecar(series, config, target('mpg-0:9847'), END, keep);
    if (!/^modelwatch_source_files\{/m.test(text)) {
      throw new Error('blocked: the sidecar does not export modelwatch_source_files{source} yet (being added in src/sources); ModelwatchSourceNoFiles cannot fire without it');
    }
    return { series, minutes: END };
  },
};
