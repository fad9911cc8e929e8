/** Random log records and spellings shared by the scanner's property tests (text and bytes). */
import fc from 'fast-check';

export const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => Math.round(x * 1000) / 1000));
export const scalar = fc.oneof(number, fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 4 }), fc.boolean(), fc.constant(null));
export const timestamp = fc.oneof(
  fc.date({ min: new Date(-1e12), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace('.000Z', 'Z')),
  number,
  fc.string({ maxLength: 30 }),
);
export const features = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom('a', 'b', '1', '__proto__', 'é'), fc.string({ maxLength: 4 })), scalar, { maxKeys: 6 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxKeys: 3 }),
  fc.array(scalar, { maxLength: 4 }),
  scalar,
);
export const record = fc.record(
  {
    timestamp,
    request_id: fc.oneof(fc.string({ maxLength: 10 }), number),
    model: fc.oneof(fc.constantFrom('churn', ''), fc.string({ maxLength: 5 }), number),
    model_version: fc.oneof(fc.constant('v1'), scalar),
    features,
    prediction: fc.oneof(scalar, fc.array(number, { maxLength: 3 })),
    scores: fc.oneof(scalar, fc.array(fc.oneof(number, fc.string({ maxLength: 3 })), { maxLength: 3 })),
    latency_ms: fc.oneof(number, fc.string({ maxLength: 6 }), fc.constant(null)),
    status: fc.oneof(fc.constantFrom(200, 500, '404', 200.5, -1), scalar),
    error: fc.oneof(fc.constantFrom('timeout', 'a long message with spaces'), scalar, fc.dictionary(fc.string({ maxLength: 2 }), scalar, { maxKeys: 1 })),
    other: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: [] },
);

/** JSON.stringify with random whitespace and escaped characters, as other loggers write it. */
export function reformat(line: string, seed: number): string {
  if (seed % 3 === 0) return line;
  if (seed % 3 === 1) return ` ${line.replace(/([,:{[])/g, '$1 ').replace(/"model"/g, '"\\u006dodel"')}\t`;
  return line.replace(/churn/g, 'ch\\u0075rn').replace(/\//g, '\\/');
}


/** Strings a hostile or international log holds: multi-byte characters, emoji, lone surrogates, quotes, controls. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('é', 'e\u0301', '日本語', '😀', 'a😀b', '\u2028', '\uFEFF', '"', '\\', '\\"', '\u0000', '\u001f', '\uD800', '\uDFFF', '\uFFFD', 'ï»¿', '\u00ff\u0100'),
);

/** Number spellings JSON allows, with long mantissas and large exponents (the fast path's limits). */
export const numberText = fc
  .tuple(fc.boolean(), fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,24}$/)), fc.option(fc.stringMatching(/^[0-9]{1,25}$/)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 400 }))))
  .map(([negative, whole, fraction, exponent]) => `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : `${exponent[0]}${exponent[1]}${exponent[2]}`}`);

/**
 * The line with some of its non-ASCII characters (UTF-16 units: a pair becomes two escapes) and
 * slashes written as JSON escapes, as some loggers do. Outside strings JSON.stringify writes ASCII only.
 */
export function escapeSome(line: string, seed: number): string {
  let out = '';
  const escape = (c: number) => {
    const hex = c.toString(16).padStart(4, '0');
    return `\\u${seed % 2 ? hex.toUpperCase() : hex}`;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const pick = ((seed >>> i % 24) & 1) === 1;
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < line.length;
    if (pair && pick) out += escape(c) + escape(line.charCodeAt(++i));
    else if (pair) out += line[i] + line[++i];
    else if (c >= 0x80 && pick) out += escape(c);
    else if (c === 0x2f && pick) out += '\\/';
    else out += line[i];
  }
  return out;
}
