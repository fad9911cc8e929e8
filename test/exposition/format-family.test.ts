import { describe, expect, it } from 'vitest';
import { formatFamily } from '../../src/exposition/exposition.js';

describe('formatFamily', () => {
  it('writes HELP, TYPE and one line per sample, label values escaped as the text format requires', () => {
    const text = formatFamily({
      name: 'm',
      help: 'a \\ help\nline',
      type: 'histogram',
      values: [
        { labels: {}, value: 1 },
        { labels: { a: 'plain', b: 'back\\slash', c: 'new\nline', d: 'say "hi"' }, value: 0.5 },
        { metricName: 'm_bucket', labels: { le: 0.005 }, value: Infinity },
        { metricName: 'm_bucket', labels: { le: '+Inf' }, value: -Infinity },
        { metricName: 'm_sum', labels: { model: 'x' }, value: NaN },
      ],
    });
    expect(text.split('\n')).toEqual([
      '# HELP m a \\\\ help\\nline',
      '# TYPE m histogram',
      'm 1',
      'm{a="plain",b="back\\\\slash",c="new\\nline",d="say \\"hi\\""} 0.5',
      'm_bucket{le="0.005"} +Inf',
      'm_bucket{le="+Inf"} -Inf',
      'm_sum{model="x"} NaN',
    ]);
  });
});
