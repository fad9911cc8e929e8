/**
 * The config the demo runs with, written as a real, commented YAML file and loaded like any user's:
 * the demo prints its path and text at start, as the bridge from the demo to the user's own server.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LevelWithSilent } from '../core/log.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { MODEL } from './model-server.js';
import { writeReferenceCsv } from './reference-data.js';

export const DEMO_CONFIG_FILE = 'modelwatch.yaml';

/** YAML flow scalars for paths: quoted, so a temp folder's name can hold anything. */
const q = (s: string) => JSON.stringify(s);

export function demoConfigText(dir: string, listen: string, logLevel: LevelWithSilent, serverPid?: number): string {
  const resources =
    serverPid === undefined
      ? 'resources: { enabled: false }\n'
      : `resources:
  # The demo's server is a plain child process: its pid. For yours: process_name, pidfile or cgroup
  # (docs/resources.md).
  target: { name: demo-model-server, pid: ${serverPid} }
  interval: 2s
  cgroup: { enabled: false }
`;
  return `# The config \`modelwatch demo\` runs with. To watch your own model server, copy this file, point
# sources[0].paths at your server's request log and map its keys under format.fields
# (docs/records.md); \`modelwatch check-config FILE\` checks it, also the files it names.
server:
  listen: ${q(listen)}   # --web.listen-address overrides it
log:
  level: ${logLevel}
model:
  # Used when a log line names no model or version.
  name: ${MODEL.name}
  version: ${MODEL.version}
sources:
  # The model server's request log, one JSON object per line:
  # {"timestamp":"…","request_id":"req-1","model":"auto-mpg","model_version":"ols-1970-74",
  #  "features":{"Cylinders":8,"Weight_in_lbs":3504,…},"prediction":17.9,"latency_ms":12.5,"status":200}
  - type: file
    name: requests
    paths: [${q(join(dir, 'requests.jsonl'))}]
    start_at: beginning
    poll_interval: 200ms
    format:
      preset: generic
      fields:
        timestamp: timestamp
        request_id: request_id
        model: model
        version: model_version
        features: features        # an object of name → value; a dotted path (request.inputs) for nested ones
        prediction: prediction
        latency: latency_ms
        latency_unit: ms
        status: status            # a line with status >= 400 or an error is a failed request
        error: error
  # The true MPG, logged later and joined to the prediction by request id: model quality (MAE).
  - type: file
    name: labels
    role: labels
    paths: [${q(join(dir, 'labels.jsonl'))}]
    start_at: beginning
    poll_interval: 1s
    format:
      fields: { request_id: request_id, label: label, timestamp: timestamp }
reference:
  # What "normal" looks like: the training rows, with the model's prediction and the true label
  # (so neither is mistaken for a feature).
  path: ${q(join(dir, 'reference.csv'))}
  prediction_column: prediction
  label_column: Miles_per_Gallon
drift:
  # 159 training cars: a reference needs 50 × (bins − 1) rows for bins not to drift by chance
  # (docs/drift-methods.md#reference-size), hence 4 bins.
  bins: 4
  # Each feature's thresholds calibrated from its reference at the window's size, so a window drawn
  # like the training data is called drifted 1 % of the time (drift.false_alarm_rate).
  thresholds: auto
  windows: [{ duration: 30s }, { duration: 5m }]
  interval: 5s
quality:
  task: regression
  # MPG is a regression target; a miss (DDM's 0/1 input) is an error above 4 MPG.
  miss_threshold: 4
  detectors: [{ name: adwin }, { name: page_hinkley }, { name: ddm }]
${resources}`;
}

/** Writes the reference and the config into `dir` and loads the config; returns it and its path. */
export function writeDemoConfig(dir: string, listen: string, logLevel: LevelWithSilent, serverPid?: number): { config: Config; path: string; text: string } {
  writeReferenceCsv(join(dir, 'reference.csv'));
  const path = join(dir, DEMO_CONFIG_FILE);
  const text = demoConfigText(dir, listen, logLevel, serverPid);
  writeFileSync(path, text);
  return { config: loadConfig(path), path, text };
}
