/**
 * Empties an array that is refilled at once (a per-line or per-record scratch list), keeping its
 * backing store. `a.length = 0` is a call into the runtime, and the runtime trims the store of a
 * short array to nothing when the new length is under half its capacity, so the next push
 * allocates a fresh one (16 slots, ~72 bytes): a scratch list emptied and pushed per record made
 * garbage every record. pop() is inlined by the optimizing compiler and leaves the store in place
 * (a scratch script: ~46 against ~21 ns an empty-and-push, 0.5 MB against nothing per million).
 */
export function emptyArray(a: unknown[]): void {
  while (a.length > 0) a.pop();
}
