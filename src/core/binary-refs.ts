/**
 * JSON.stringify with the typed arrays' bytes taken out: while stringifyWithBinary runs, a value
 * whose toJSON asks binaryRef (TypedCopy) is written as a reference, `{"$bin":[offset,length]}`,
 * and its bytes are gathered, in the order the references were written, to be written raw after
 * (the checkpoint's binary file, sources/checkpoint-binary.ts). Outside it, toJSON gives base64.
 *
 * Why the engine's JSON.stringify and a flag rather than a writer of our own: the checkpoint's JSON
 * streamed by JsonChunkWriter with base64 strings was ~143 of the 213 MB allocated in a live minute
 * at 1,000 records/s, and a JavaScript writer of the whole JSON (branch `live-ckpt-binary`) cut the
 * allocation but not the CPU: it was slower than JSON.stringify on the state's small objects.
 * JSON.stringify calls toJSON natively on the few objects that have one; a replacer function
 * would be called on every value of the state.
 */

export interface BinaryRef {
  $bin: [offset: number, length: number];
}

export interface BinaryJson {
  text: string;
  /** The bytes referenced, in file order: a reference's offset is the sum of the lengths before it. */
  parts: Uint8Array[];
  bytes: number;
}

let gathering: { parts: Uint8Array[]; bytes: number } | undefined;

/** JSON.stringify(value), with the bytes of every TypedCopy in it referenced and gathered. */
export function stringifyWithBinary(value: unknown): BinaryJson {
  if (gathering) throw new Error('stringifyWithBinary is not reentrant');
  const g = { parts: [] as Uint8Array[], bytes: 0 };
  gathering = g;
  try {
    return { text: JSON.stringify(value), parts: g.parts, bytes: g.bytes };
  } finally {
    gathering = undefined;
  }
}

/** Whether a stringifyWithBinary is running (a toJSON may then give a form of raw parts). */
export function gatheringBinary(): boolean {
  return gathering !== undefined;
}

/** Inside stringifyWithBinary: a reference to `bytes` (taken as they are at the call). Else undefined. */
export function binaryRef(bytes: Uint8Array): BinaryRef | undefined {
  if (!gathering) return undefined;
  const ref: BinaryRef = { $bin: [gathering.bytes, bytes.length] };
  gathering.parts.push(bytes);
  gathering.bytes += bytes.length;
  return ref;
}

/** Whether a parsed value is a reference (an object of the one key `$bin` holding two integers). */
export function isBinaryRef(v: unknown): v is BinaryRef {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const ref = (v as { $bin?: unknown }).$bin;
  return Array.isArray(ref) && ref.length === 2 && Number.isSafeInteger(ref[0]) && Number.isSafeInteger(ref[1]) && Object.keys(v).length === 1;
}
