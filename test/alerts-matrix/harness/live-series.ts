/**
 * A sidecar the replay cannot stand for: one whose sources read nothing (a log path that matches no
 * file, which a replay refuses as bad input). The real sidecar is started as `modelwatch run` starts
 * it (startModelwatch, its sources built from the config), on a clock the harness moves a step at a
 * time, ticked and scraped at every step.
 */
import { pino } from 'pino';
import { parseConfigText } from '../../../src/config/load.js';
import { ManualClock } from '../../../src/core/clock.js';
import { startModelwatch } from '../../../src/main.js';
import type { Keep, SeriesSet } from './series.js';

export async function scrapeLiveSidecar(set: SeriesSet, configYaml: string, target: Record<string, string>, minutes: number, keep: Keep): Promise<string> {
  const clock = new ManualClock(set.origin * 1000);
  const config = parseConfigText(configYaml, 'scenario.yaml');
  const mw = await startModelwatch({ config, logger: pino({ level: 'silent' }), clock, oneShot: true });
  let first = '';
  try {
    for (let minute = 0; minute <= minutes; minute += set.stepSeconds / 60) {
      clock.set((set.origin + minute * 60) * 1000);
      await mw.drain();
      await mw.tick();
      const text = await mw.metrics();
      first ||= text;
      set.addText(text, target, keep, set.origin + minute * 60);
    }
  } finally {
    await mw.stop();
  }
  return first;
}
