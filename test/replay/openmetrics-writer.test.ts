import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpenMetricsWriter } from '../../src/replay/openmetrics-writer.js';

describe('OpenMetricsWriter spilling to files', () => {
  it('a family without samples when the writer spills: left out if it never gets any, written whole if it does', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mw-omw-')), 'out.om');
    const w = new OpenMetricsWriter({ job: 'modelwatch' }, 1);
    // `never` and `late` are named (HELP/TYPE) before they have a sample, as a histogram with no
    // observation yet; the writer spills after every exposition here.
    const header = (name: string) => `# HELP ${name} ${name}.\n# TYPE ${name} gauge\n`;
    w.add(`${header('never')}${header('late')}${header('early')}early 1\n`, 10);
    w.add(`${header('never')}${header('late')}late 5\n${header('early')}early 2\n`, 20);
    w.add(`${header('never')}${header('early')}early 3\n`, 30);
    w.finish(out);
    expect(readFileSync(out, 'utf8')).toBe(
      [
        '# HELP late late.',
        '# TYPE late gauge',
        'late{job="modelwatch"} 5 20',
        '# HELP early early.',
        '# TYPE early gauge',
        'early{job="modelwatch"} 1 10',
        'early{job="modelwatch"} 2 20',
        'early{job="modelwatch"} 3 30',
        '# EOF',
        '',
      ].join('\n'),
    );
  });
});
