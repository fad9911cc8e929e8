import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { referenceColumnsOf, referenceOf } from '../../src/windows/reference-loader.js';

describe('reference loader: one read of the training file per config', () => {
  it('profile and quality columns come from the same parse (the file is not read again)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mw-ref-')), 'train.csv');
    writeFileSync(path, 'x,pred,y\n1,0,0\n2,1,1\n3,1,0\n');
    const config = configSchema.parse({ reference: { path, prediction_column: 'pred', label_column: 'y' } });
    const profile = referenceOf(config);
    rmSync(path);
    expect(Object.keys(profile!.features).sort()).toEqual(['x']);
    expect(referenceColumnsOf(config)).toEqual({ labels: [0, 1, 0], predictions: [0, 1, 1], scores: undefined });
  });

  it('the score column (quality.score_column) is no feature: the logs carry it as the score, not as an input', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mw-ref-')), 'train.csv');
    writeFileSync(path, 'x,pred,y,p\n1,0,0,0.2\n2,1,1,0.9\n3,1,0,0.6\n');
    const config = configSchema.parse({ reference: { path, prediction_column: 'pred', label_column: 'y' }, quality: { score_column: 'p' } });
    expect(Object.keys(referenceOf(config)!.features).sort()).toEqual(['x']);
    expect(referenceColumnsOf(config)?.scores).toEqual([0.2, 0.9, 0.6]);
  });
});
