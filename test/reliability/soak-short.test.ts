/**
 * The short soak (the full one is `npm run soak`): a real modelwatch process, a log written at
 * 2,000 records/s, rotated by rename every 8 s, a restart in the middle; no line lost or doubled,
 * descriptors bounded.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak.js';

describe('short soak', () => {
  it('processes exactly the lines written through rotations and a restart', async () => {
    const r = await runSoak({ seconds: 35, rate: 2000, rotateEverySeconds: 8, restartAtSeconds: 17, sampleEverySeconds: 2 });
    expect(r.rotations).toBeGreaterThanOrEqual(4);
    expect(r.written).toBeGreaterThan(50_000);
    expect(r.processed).toBe(r.written);
    // Two log files, the checkpoint, sockets and Node's own handles: a leak would grow with rotations.
    expect(r.maxFds).toBeLessThan(60);
  }, 120_000);
});
