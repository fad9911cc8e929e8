/**
 * A window's input register: the time and value of the observation being pushed, written by the
 * caller before `pushInput(bin)`. A feature writes it once and pushes each of its windows, and no
 * call passes a double: a double argument to a call V8 does not inline is boxed into a 16-byte
 * heap number, and whether V8 inlines a window's push into the feature loop depends on an inlining
 * budget the loop's other callees share (two per window per record in the bench when it does not).
 */
export const TIME = 0;
export const VALUE = 1;

export function windowInput(): Float64Array {
  return new Float64Array(2);
}
