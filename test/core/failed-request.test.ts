import { describe, expect, it } from 'vitest';
import { isFailedRequest } from '../../src/core/failed-request.js';
import { harness } from '../records/mapper-harness.js';

describe('isFailedRequest: one definition for traffic, drift and model quality', () => {
  it.each([
    ['no error, 200', 200, undefined, false],
    ['error ""', 200, '', false],
    ['error null', 200, null, false],
    ['error text', 200, 'timeout', true],
    ['status 499 (client closed)', 499, undefined, true],
    ['status 500', 500, undefined, true],
    ['status 399', 399, undefined, false],
    ['no status, no error', undefined, undefined, false],
  ] as const)('%s', (_name, status, error, failed) => {
    expect(isFailedRequest(status, error)).toBe(failed);
  });

  it('a logged line with error "" or null maps to a request that did not fail', () => {
    const { map } = harness({});
    for (const error of ['""', 'null']) {
      const { records } = map(JSON.parse(`{"features":{"x":1},"prediction":1,"status":200,"error":${error}}`));
      expect(records).toHaveLength(1);
      expect(isFailedRequest(records[0].status, records[0].error)).toBe(false);
    }
    const { records } = map({ features: { x: 1 }, prediction: 1, status: 499 });
    expect(isFailedRequest(records[0].status, records[0].error)).toBe(true);
  });
});
