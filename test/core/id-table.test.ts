/**
 * IdTable against a Map<string, row>: ids of every packing (UUIDs in lower, upper and mixed case,
 * near-UUIDs, short Latin-1, short with characters past U+00FF, long) inserted and removed at random
 * must be found exactly, never confused with one another, and given back as the same strings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IdBytes } from '../../src/core/id-bytes.js';
import { IdTable } from '../../src/core/id-table.js';

const hex = (upper: boolean) => fc.constantFrom(...(upper ? '0123456789ABCDEF' : '0123456789abcdef'));
const hexRun = (n: number, upper: boolean) => fc.array(hex(upper), { minLength: n, maxLength: n }).map((cs) => cs.join(''));
const uuid = (upper: boolean) =>
  fc.tuple(hexRun(8, upper), hexRun(4, upper), hexRun(4, upper), hexRun(4, upper), hexRun(12, upper)).map((parts) => parts.join('-'));

/** A small pool, so that ids repeat and near-misses of one another are likely. */
const id = fc.oneof(
  uuid(false),
  uuid(true),
  // Mixed case, a dash moved, one character off: not canonical, kept as strings.
  uuid(false).map((u) => u.slice(0, 35) + 'G'),
  uuid(false).map((u) => u[0].toUpperCase() + u.slice(1)),
  uuid(false).map((u) => u.replace('-', '')+ '-'),
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.string({ minLength: 17, maxLength: 40 }),
  fc.constantFrom('', 'a', 'a\u0000', '\u0000', 'req-00000001', 'req-00000001\u0000', 'é', '\u0100'),
);

describe('IdTable', () => {
  // Unbounded (grows as rows come) and bounded (allocated once at its rows, as the stores use it).
  it.each([
    ['unbounded', undefined],
    ['bounded', 1000],
  ])('agrees with a Map under random inserts and removes, and gives every id back as given (%s)', (_, maxRows) => {
    const op = fc.record({ insert: fc.boolean(), pick: fc.nat(), fresh: id });
    fc.assert(
      fc.property(fc.array(id, { minLength: 1, maxLength: 30 }), fc.array(op, { maxLength: 400 }), (pool, ops) => {
        const table = new IdTable(maxRows);
        const model = new Map<string, number>();
        const freeRows: number[] = [];
        let nextRow = 0;
        for (const { insert, pick, fresh } of ops) {
          const key = pick % 3 === 0 ? fresh : pool[pick % pool.length];
          const found = table.find(key);
          expect(found).toBe(model.get(key) ?? -1);
          if (insert && found < 0) {
            const row = freeRows.pop() ?? nextRow++;
            table.insert(key, row);
            model.set(key, row);
          } else if (!insert && found >= 0) {
            table.remove(found);
            model.delete(key);
            freeRows.push(found);
          }
          expect(table.size).toBe(model.size);
        }
        for (const [key, row] of model) {
          expect(table.find(key)).toBe(row);
          expect(table.holds(row)).toBe(true);
          expect(table.idAt(row)).toBe(key);
        }
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['unbounded', undefined],
    ['bounded', 5000],
  ])('keeps finding every id through growth and long probe runs of removals (%s)', (_, maxRows) => {
    const table = new IdTable(maxRows);
    const ids = Array.from({ length: 5000 }, (_, i) => (i % 2 ? crypto.randomUUID() : `r${i}`));
    ids.forEach((k, row) => table.insert(k, row));
    for (let row = 0; row < ids.length; row += 3) table.remove(row);
    ids.forEach((k, row) => expect(table.find(k)).toBe(row % 3 === 0 ? -1 : row));
    expect(table.size).toBe(ids.length - Math.ceil(ids.length / 3));
  });

  it.each([
    ['unbounded', undefined],
    ['bounded', 1000],
  ])('agrees with a Map through a long FIFO churn: removals leave tombstones, inserts take them, the slots are rebuilt (%s)', (_, maxRows) => {
    // As the label store uses it: one id in, the oldest out, rows reused; 30 times the table's rows,
    // so tombstones pile up and the slots are made again many times; finds of ids just removed
    // (a label for an expired prediction), of held ids and of ids never held at every step.
    const table = new IdTable(maxRows);
    const held = 1000;
    const model = new Map<string, number>();
    const order: string[] = [];
    const freeRows: number[] = [];
    let nextRow = 0;
    const idOf = (i: number) => (i % 5 === 0 ? `0000${String(i).padStart(4, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}` : i % 7 === 0 ? `long-request-id-${i}-`.repeat(2) : `q${i}`);
    for (let i = 0; i < 30 * held; i++) {
      const key = idOf(i);
      expect(table.find(key)).toBe(-1);
      if (order.length === held) {
        const old = order.shift()!;
        const row = model.get(old)!;
        expect(table.find(old)).toBe(row);
        table.remove(row);
        model.delete(old);
        freeRows.push(row);
        expect(table.find(old)).toBe(-1);
      }
      const row = freeRows.pop() ?? nextRow++;
      table.insert(key, row);
      model.set(key, row);
      order.push(key);
      const probe = order[(i * 7919) % order.length];
      expect(table.find(probe)).toBe(model.get(probe));
      expect(table.size).toBe(model.size);
    }
    for (const [key, row] of model) expect(table.idAt(row)).toBe(key);
  });

  it('finds an id packed last for another table, and the empty id, in a fresh table', () => {
    // The last packing is reused by string: a lookup must never see the packing of a different id.
    const a = new IdTable(16);
    const b = new IdTable(16);
    a.insert('req-1', 0);
    expect(b.find('req-1')).toBe(-1);
    b.insert('', 3);
    expect(b.find('')).toBe(3);
    expect(a.find('')).toBe(-1);
    expect(a.find('req-1')).toBe(0);
    b.insert('req-1', 5);
    expect(b.find('req-1')).toBe(5);
  });

  it('never takes a 36-character id with a non-ASCII character for the UUID its low bytes spell', () => {
    // U+0130's low byte is 0x30 ('0') and U+012D's is 0x2d ('-'): packed as a UUID, each would be another id's twin.
    const uuid = '0123abcd-0000-4000-8000-00000000000f';
    const dotted = uuid.slice(0, 9) + '\u0130' + uuid.slice(10);
    const dashed = uuid.slice(0, 8) + '\u012d' + uuid.slice(9);
    const t = new IdTable(16);
    t.insert(uuid, 1);
    expect(t.find(dotted)).toBe(-1);
    expect(t.find(dashed)).toBe(-1);
    t.insert(dotted, 2);
    t.insert(dashed, 3);
    expect([t.find(uuid), t.find(dotted), t.find(dashed)]).toEqual([1, 2, 3]);
    expect([t.idAt(1), t.idAt(2), t.idAt(3)]).toEqual([uuid, dotted, dashed]);
  });

  it('packs ids of every length up to 16 from their bytes at every alignment, the bytes after them left out', () => {
    // Whole words, then the last 0–3 bytes: a word read past the id's end would take the line's next bytes.
    const table = new IdTable(1024);
    let serial = 0;
    let row = 0;
    for (let n = 0; n <= 16; n++) {
      for (let at = 0; at < 4; at++) {
        const id = Array.from({ length: n }, (_, k) => String.fromCharCode(0x21 + ((n * 7 + at * 3 + k) % 90))).join('');
        const line = Buffer.from(`${'"'.repeat(at)}${id}\u007f\u00ff\u0001x`, 'latin1');
        const ref = { bytes: line, start: at, end: at + n, serial: ++serial };
        if (table.find(id) >= 0) continue;
        expect(table.findBytes(ref)).toBe(-1);
        table.insertBytes(ref, row);
        expect(table.find(id)).toBe(row);
        expect(table.idAt(row)).toBe(id);
        // The same id at another place in another line, with other bytes after it.
        const again = Buffer.from(`${id}${'\u0000'.repeat(4)}`, 'latin1');
        expect(table.findBytes({ bytes: again, start: 0, end: n, serial: ++serial })).toBe(row);
        row++;
      }
    }
    expect(table.size).toBe(row);
  });

  it('packs an id from its ASCII bytes as from its string: found either way, inserted either way; −2 for an id kept as a string', () => {
    const ascii = fc.oneof(
      uuid(false),
      uuid(true),
      uuid(false).map((u) => u.slice(0, 35) + 'G'),
      uuid(false).map((u) => u[0].toUpperCase() + u.slice(1)),
      fc.string({ unit: fc.integer({ min: 0x20, max: 0x7f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 40 }),
      fc.constantFrom('a', 'req-00000001', '0123456789abcdef', '0123456789abcdef0', '~~~~~~~~~~~~~~~~', 'x'.repeat(1 << 20)),
    );
    let serial = 0;
    const ref = (id: string, at: number): IdBytes => {
      // Somewhere in a line, as the scanner leaves it; another line's bytes around it.
      const line = Buffer.from(`${'#'.repeat(at)}${id}"}`, 'latin1');
      return { bytes: line, start: at, end: at + id.length, serial: ++serial };
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(ascii, fc.boolean(), fc.nat(7)), { minLength: 1, maxLength: 40 }), (ids) => {
        const table = new IdTable(64);
        const rows = new Map<string, number>();
        ids.forEach(([id, asBytes, at]) => {
          const r = ref(id, at);
          const found = table.findBytes(r);
          const long = id.length > 16 && !(id.length === 36 && /^([0-9a-f-]{36}|[0-9A-F-]{36})$/.test(id) && id[8] === '-' && id[13] === '-' && id[18] === '-' && id[23] === '-' && id.split('-').length === 5);
          if (long) {
            expect(found).toBe(-2);
            expect(table.find(id)).toBe(rows.get(id) ?? -1);
          } else {
            expect(found).toBe(rows.get(id) ?? -1);
            expect(table.find(id)).toBe(found);
          }
          if (rows.has(id)) return;
          const row = rows.size;
          if (asBytes && !long) table.insertBytes(ref(id, at + 1), row);
          else table.insert(id, row);
          rows.set(id, row);
          expect(table.find(id)).toBe(row);
          if (!long) expect(table.findBytes(ref(id, 0))).toBe(row);
          expect(table.idAt(row)).toBe(id);
        });
      }),
      { numRuns: 300 },
    );
  });
});
