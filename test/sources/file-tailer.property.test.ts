/**
 * Property: whatever a writer and logrotate do, the tailer never invents or doubles a line; when
 * only writes, rotations and restarts happen (with at least one poll between two rotations, i.e. a
 * poll interval shorter than the rotation interval) it delivers every line, in order.
 * Truncation and deletion may lose lines written since the last poll: that is inherent to tail -F.
 */
import { appendFileSync, renameSync, truncateSync, copyFileSync, unlinkSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../src/sources/checkpoint.js';
import type { FileTailer } from '../../src/sources/file-tailer.js';
import { CollectingSink, makeTailer, makeTempDir } from './tail-helpers.js';

type Op =
  | { kind: 'write'; count: number; pad: number; multibyte: boolean; pollAfter: boolean }
  | { kind: 'partial'; cut: number; restartBetween: boolean; pollAfter: boolean }
  | { kind: 'rotate'; create: boolean; pollAfter: boolean }
  | { kind: 'truncate'; copy: boolean; pollAfter: boolean }
  | { kind: 'delete'; pollAfter: boolean }
  | { kind: 'restart'; pollAfter: boolean };

const pollAfter = fc.boolean();
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('write' as const), count: fc.integer({ min: 1, max: 4 }), pad: fc.integer({ min: 0, max: 60 }), multibyte: fc.boolean(), pollAfter }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('partial' as const), cut: fc.nat(), restartBetween: fc.boolean(), pollAfter }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rotate' as const), create: fc.boolean(), pollAfter }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), copy: fc.boolean(), pollAfter }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pollAfter }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restart' as const), pollAfter }) },
);

const LOSSLESS = new Set<Op['kind']>(['write', 'partial', 'rotate', 'restart']);

function isSubsequence(sub: string[], of: string[]): boolean {
  let j = 0;
  for (const x of of) if (j < sub.length && sub[j] === x) j++;
  return j === sub.length;
}

async function play(ops: Op[]): Promise<{ written: string[]; delivered: string[] }> {
  const { dir, cleanup } = makeTempDir('modelwatch-prop-');
  const log = join(dir, 'app.log');
  const checkpointPath = join(dir, 'offsets.json');
  const sink = new CollectingSink();
  const written: string[] = [];
  let nextId = 0;
  let rotation = 0;
  const newLine = (pad: number, multibyte: boolean) => `L${nextId++}-${(multibyte ? 'é€' : 'x').repeat(pad)}`;
  const startTailer = async (startAt: 'beginning' | 'end') => {
    const t = makeTailer(sink, { paths: [log], startAt, maxLineBytes: 4096 }, new CheckpointStore({ path: checkpointPath }));
    await t.start();
    return t;
  };
  let tailer: FileTailer = await startTailer('beginning');
  const restart = async () => {
    await tailer.stop();
    tailer = await startTailer('end');
  };
  try {
    for (const op of ops) {
      switch (op.kind) {
        case 'write': {
          let text = '';
          for (let i = 0; i < op.count; i++) {
            const line = newLine(op.pad, op.multibyte);
            written.push(line);
            text += `${line}\n`;
          }
          appendFileSync(log, text);
          break;
        }
        case 'partial': {
          const line = newLine(20, true);
          const bytes = Buffer.from(`${line}\n`);
          const cut = 1 + (op.cut % (bytes.length - 1)); // anywhere, even inside a character
          written.push(line);
          appendFileSync(log, bytes.subarray(0, cut));
          await tailer.poll();
          if (op.restartBetween) await restart();
          appendFileSync(log, bytes.subarray(cut));
          break;
        }
        case 'rotate':
          await tailer.poll(); // a poll interval shorter than the rotation interval
          if (existsSync(log)) renameSync(log, `${log}.${++rotation}`);
          if (op.create) writeFileSync(log, '');
          break;
        case 'truncate':
          if (existsSync(log)) {
            if (op.copy) copyFileSync(log, `${log}.${++rotation}`);
            truncateSync(log, 0);
          }
          break;
        case 'delete':
          if (existsSync(log)) unlinkSync(log);
          break;
        case 'restart':
          await restart();
          break;
      }
      if (op.pollAfter) await tailer.poll();
    }
    await tailer.drain();
    await tailer.stop();
    return { written, delivered: sink.lines };
  } finally {
    await tailer.stop();
    cleanup();
  }
}

describe('FileTailer property: lines delivered vs lines written', () => {
  it('never invents or doubles a line; loses none under writes, rotations and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 20 }), async (ops) => {
        const { written, delivered } = await play(ops);
        expect(new Set(delivered).size).toBe(delivered.length);
        expect(delivered.length).toBeLessThanOrEqual(written.length);
        expect(isSubsequence(delivered, written)).toBe(true);
        if (ops.every((op) => LOSSLESS.has(op.kind))) expect(delivered).toEqual(written);
      }),
      { numRuns: 60 },
    );
  });
});
