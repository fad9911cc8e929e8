import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runProfileCommand } from '../../src/batch/profile-command.js';
import { fixtureLog } from '../helpers/fixture-log.js';
import { startSidecar } from '../helpers/sidecar.js';

const io = () => ({ stdout: new PassThrough(), stderr: new PassThrough() });

async function driftScrape(log: string, reference: string): Promise<string[]> {
  const mw = await startSidecar(
    { sources: [{ type: 'file', paths: [log] }], reference: { path: reference, prediction_column: 'prediction' }, drift: { windows: [{ count: 200 }], min_samples: 10 }, resources: { enabled: false } },
    { oneShot: true },
  );
  await mw.drain();
  const text = await mw.metrics();
  await mw.stop();
  return text.split('\n').filter((l) => l.startsWith('modelwatch_feature_drift_score') || l.startsWith('modelwatch_prediction_drift'));
}

/**
 * Everything written to a stream so far. One read() returned it all on Node 20; Node 26 returns the
 * first chunk only, so read until the buffer is empty.
 */
function readAll(stream: PassThrough): string {
  let text = '';
  for (let chunk = stream.read() as Buffer | null; chunk !== null; chunk = stream.read() as Buffer | null) text += String(chunk);
  return text;
}

describe('modelwatch profile', () => {
  it('writes a versioned profile that gives the same drift as the training file itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-profile-'));
    const { lines, referenceCsv } = fixtureLog();
    const csv = join(dir, 'train.csv');
    const log = join(dir, 'requests.jsonl');
    const out = join(dir, 'profile.json');
    writeFileSync(csv, referenceCsv);
    writeFileSync(log, lines.join('\n') + '\n');
    expect(await runProfileCommand(['--data', csv, '--out', out, '--prediction-column', 'prediction', '--categorical', 'color'], io())).toBe(0);
    const profile = JSON.parse(readFileSync(out, 'utf8'));
    expect(profile.schema_version).toBe(1);
    expect(profile.rows).toBe(300);
    expect(profile.features.age.type).toBe('numeric');
    expect(profile.features.age.edges).toHaveLength(9);
    expect(profile.features.color).toMatchObject({ type: 'categorical', missing: 0 });
    expect(profile.prediction.type).toBe('numeric');
    const fromCsv = await driftScrape(log, csv);
    expect(fromCsv.length).toBeGreaterThan(10);
    expect(await driftScrape(log, out)).toEqual(fromCsv);
  });

  it('exits 2 with a clear message for a missing file, a missing column or a bad flag', async () => {
    const e = io();
    expect(await runProfileCommand(['--data', '/nonexistent.csv', '--out', '/tmp/x.json'], e)).toBe(2);
    expect(readAll(e.stderr)).toContain('cannot read reference /nonexistent.csv');
    const dir = mkdtempSync(join(tmpdir(), 'mw-profile-'));
    const csv = join(dir, 't.csv');
    writeFileSync(csv, 'a,b\n1,2\n');
    const e2 = io();
    expect(await runProfileCommand(['--data', csv, '--out', join(dir, 'p.json'), '--features', 'a,zz'], e2)).toBe(2);
    expect(readAll(e2.stderr)).toContain('no column named zz');
    expect(await runProfileCommand(['--data', csv], io())).toBe(2);
  });

  it('draws a progress bar on a terminal, and nothing of it when stderr is not one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-profile-'));
    const csv = join(dir, 'train.csv');
    writeFileSync(csv, fixtureLog().referenceCsv);
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    expect(await runProfileCommand(['--data', csv, '--out', join(dir, 'p.json')], { stdout: new PassThrough(), stderr: tty })).toBe(0);
    const drawn = readAll(tty);
    expect(drawn).toContain('parsing');
    expect(drawn).toMatch(/profiling \[#{24}\] 4\/4/);
    const plain = io();
    expect(await runProfileCommand(['--data', csv, '--out', join(dir, 'q.json')], plain)).toBe(0);
    expect(readAll(plain.stderr)).not.toContain('profiling [');
  });
});
