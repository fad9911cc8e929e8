/**
 * The `resources` section: which process or container is "the model server", and how often its
 * CPU, memory, I/O and GPU use are read. Imported by schema.ts, which stays the single source of
 * the Config type.
 */
import * as z from 'zod';
import { duration } from './units.js';

const validRegex = z.string().min(1).refine(
  (text) => {
    try {
      new RegExp(text);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

export const resourceTargetSchema = z
  .object({
    /** The `target` label value. */
    name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_.-]*$/, 'a short name: letters, digits, _ . and -').default('model-server'),
    pid: z.number().int().positive().optional(),
    /** A file holding the pid; re-read whenever the pid it named is gone. */
    pidfile: z.string().min(1).optional(),
    /** A regular expression matched against /proc/PID/comm and the space-joined cmdline. */
    process_name: validRegex.optional(),
    /**
     * A cgroup v2 directory (absolute, or relative to the cgroup2 mount), `self` for the sidecar's
     * own cgroup, or `pod` for its parent (the pod's cgroup in Kubernetes).
     */
    cgroup: z.string().min(1).optional(),
    /** Count the target's descendants (worker processes) into its figures. */
    include_children: z.boolean().default(true),
  })
  .strict()
  .superRefine((target, ctx) => {
    const set = (['pid', 'pidfile', 'process_name', 'cgroup'] as const).filter((k) => target[k] !== undefined);
    if (set.length > 1) {
      ctx.addIssue({ code: 'custom', message: `set only one of pid, pidfile, process_name, cgroup (got ${set.join(', ')})` });
    }
  });

const toggle = z.object({ enabled: z.boolean().default(true) }).strict();

export const gpuSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Path or name looked up on PATH. */
    nvidia_smi: z.string().min(1).default('nvidia-smi'),
    interval: duration.default(10),
    /** A call that takes longer is killed and counted as a failed collection. */
    timeout: duration.default(5),
  })
  .strict();

export const resourcesSchema = z
  .object({
    enabled: z.boolean().default(true),
    target: resourceTargetSchema.default(() => resourceTargetSchema.parse({})),
    /** How often the process and cgroup collectors run. */
    interval: duration.default(5),
    process: toggle.default({ enabled: true }),
    cgroup: toggle.default({ enabled: true }),
    gpu: gpuSchema.default(() => gpuSchema.parse({})),
  })
  .strict();

export type ResourcesConfig = z.infer<typeof resourcesSchema>;
export type ResourceTargetConfig = z.infer<typeof resourceTargetSchema>;
export type GpuConfig = z.infer<typeof gpuSchema>;

export function defaultResourcesConfig(): ResourcesConfig {
  return resourcesSchema.parse({});
}
