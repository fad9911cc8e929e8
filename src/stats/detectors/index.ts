/**
 * The explicit list of concept-drift detectors, as analyzers/index.ts lists analyzers: one entry
 * per file, each with its name, input kind, default options and factory. No registration by
 * import side effect.
 */
import { adwin } from './adwin.js';
import { ddm } from './ddm.js';
import type { DetectorDescriptor, DriftDetector } from './detector.js';
import { pageHinkley } from './page-hinkley.js';

export type { DetectorDescriptor, DetectorState, DriftDetector } from './detector.js';
export { Adwin, type AdwinOptions } from './adwin.js';
export { Ddm, type DdmOptions } from './ddm.js';
export { PageHinkley, type PageHinkleyOptions } from './page-hinkley.js';

export const detectors = [adwin, pageHinkley, ddm] as const;

/** Builds a detector by name with partial numeric options; unknown names and options throw. */
export function createDetector(name: string, options: Record<string, number> = {}): DriftDetector {
  const descriptor = detectors.find((d) => d.name === name) as DetectorDescriptor<object> | undefined;
  if (!descriptor) {
    throw new RangeError(`unknown drift detector "${name}"; known: ${detectors.map((d) => d.name).join(', ')}`);
  }
  for (const key of Object.keys(options)) {
    if (!(key in descriptor.defaults)) {
      throw new RangeError(`${name} has no option "${key}"; options: ${Object.keys(descriptor.defaults).join(', ')}`);
    }
  }
  return descriptor.create(options);
}
