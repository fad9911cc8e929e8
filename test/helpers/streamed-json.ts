import { JsonChunkWriter } from '../../src/core/json-chunk-writer.js';

/** The checkpoint's bytes for `value` (JsonChunkWriter, as src/sources/checkpoint.ts writes it) through a buffer of `size` bytes. */
export async function streamed(value: unknown, size: number): Promise<string> {
  const parts: Buffer[] = [];
  const w = new JsonChunkWriter(async (chunk) => void parts.push(Buffer.from(chunk)), size);
  await w.value(value);
  await w.flush();
  return Buffer.concat(parts).toString('utf8');
}
