/**
 * A request id as the line spelled it: plain ASCII bytes b[start, end) in the read buffer (no JSON
 * escape), valid while its record is delivered. The id table packs it from there (core/id-table.ts,
 * the same packing as from a string), so a record's id need not become a string at all.
 *
 * `serial` tells one line's id from the next: the read buffer is reused, so the same bytes at the
 * same place may be another line's id. Every line whose id is set here gets a new serial.
 */
export interface IdBytes {
  bytes: Uint8Array;
  start: number;
  end: number;
  serial: number;
}

let serials = 0;

/** Points `ref` at b[start, end), a new line's id. */
export function setIdBytes(ref: IdBytes, bytes: Uint8Array, start: number, end: number): void {
  ref.bytes = bytes;
  ref.start = start;
  ref.end = end;
  ref.serial = ++serials;
}

/** A record's id as the id stores take it: its bytes when the line spelled it plainly, else (or also) its string. */
export interface RecordId {
  readonly requestId?: string;
  readonly requestIdBytes?: IdBytes;
}
