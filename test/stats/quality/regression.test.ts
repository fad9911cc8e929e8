import { describe, expect, it } from 'vitest';
import {
  meanAbsoluteError,
  meanAbsolutePercentageError,
  r2Score,
  rootMeanSquaredError,
} from '../../../src/stats/quality/regression.js';
import { expectClose, loadFixture } from './fixture.js';

interface RegressionCase {
  yTrue: number[];
  yPred: number[];
  sklearn: { mae: number; rmse: number; mape: number; r2: number };
}

const fixture = loadFixture<{ cases: Record<string, RegressionCase> }>('regression.json');

describe('regression metrics vs sklearn', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(`${name}: MAE, RMSE, MAPE, R²`, () => {
      const y = Float64Array.from(c.yTrue);
      const p = Float64Array.from(c.yPred);
      expectClose(meanAbsoluteError(y, p), c.sklearn.mae, 'mae');
      expectClose(rootMeanSquaredError(y, p), c.sklearn.rmse, 'rmse');
      expectClose(meanAbsolutePercentageError(y, p), c.sklearn.mape, 'mape');
      expectClose(r2Score(y, p), c.sklearn.r2, 'r2');
    });
  }

  it('constant y_true: R² is 1 when perfect and 0 otherwise (force_finite)', () => {
    expect(r2Score([2, 2, 2], [2, 2, 2])).toBe(1);
    expect(r2Score([2, 2, 2], [2, 2, 2.5])).toBe(0);
  });

  it('empty input gives undefined; R² needs two samples', () => {
    expect(meanAbsoluteError([], [])).toBeUndefined();
    expect(rootMeanSquaredError([], [])).toBeUndefined();
    expect(meanAbsolutePercentageError([], [])).toBeUndefined();
    expect(r2Score([1], [1])).toBeUndefined();
  });
});
