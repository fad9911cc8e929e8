/** Flags of `modelwatch profile`, as its --help and the top-level help show them. */
import type { CommandSpec } from '../core/cli-args.js';

export const PROFILE_SPEC: CommandSpec = {
  name: 'profile',
  summary: 'Profile training data once (bins, a sample, summary statistics) into a JSON reference for reference.path.',
  flags: [
    { name: 'data', value: 'FILE', required: true, help: 'training data (.csv, .jsonl/.ndjson, .parquet, or a .json array of objects)' },
    { name: 'out', value: 'FILE', required: true, help: 'where to write the profile (JSON)' },
    { name: 'features', value: 'LIST', help: 'comma-separated columns to keep as features (default: every column but the prediction and label)' },
    { name: 'categorical', value: 'LIST', help: 'columns to treat as categorical even when numeric' },
    { name: 'prediction-column', value: 'COL', help: "the column holding the model's prediction (profiled for prediction drift, never a feature)" },
    { name: 'label-column', value: 'COL', help: 'the column holding the ground truth (never a feature)' },
    { name: 'bins', value: 'B', help: 'quantile bins per numeric feature', default: '10' },
  ],
  footer: 'exit codes: 0 written, 2 error',
};
