/**
 * The counters' part of a checkpoint, written from the captured families as the checkpoint is
 * streamed (JsonStreamable) instead of copied into saved samples at the capture. The copies (an
 * object per sample, an array per label set) lived from the capture until the write was done, long
 * enough to outlive the young generation: a fifth of what each checkpoint promoted to the old
 * generation at 1,000 records/s (docs/performance.md, 3 December fourth round). Written a slice of
 * samples at a time, they now die young. The text is exactly JSON.stringify(saveSamples(families)).
 *
 * The families are the capture's own, which nothing changes once captured (the snapshotter keeps
 * them to publish after the write).
 */
import type { JsonChunkWriter, JsonStreamable } from '../core/json-chunk-writer.js';
import { carriedFamilies, savedSample, saveSamples, type SavedFamily, type SavedSample } from './counter-base.js';

/** Samples per JSON.stringify call. */
const SLICE = 1024;

export class SavedCounters implements JsonStreamable {
  constructor(private readonly families: readonly SavedFamily[]) {}

  toJSON(): Record<string, SavedSample[]> {
    return saveSamples(this.families);
  }

  async writeJson(out: JsonChunkWriter): Promise<void> {
    await out.raw('{');
    let first = true;
    for (const [name, f] of carriedFamilies(this.families)) {
      await out.raw(`${first ? '' : ','}${JSON.stringify(name)}:[`);
      first = false;
      for (let i = 0; i < f.values.length; i += SLICE) {
        const text = JSON.stringify(f.values.slice(i, i + SLICE).map((s) => savedSample(name, s)));
        await out.raw(i > 0 ? `,${text.slice(1, -1)}` : text.slice(1, -1));
        await out.breathe();
      }
      await out.raw(']');
    }
    await out.raw('}');
  }
}
