/**
 * `check-config` beyond the schema: it opens what the config names, so a path mistake surfaces
 * before the sidecar runs rather than as one log line after it started. A reference file that
 * cannot be loaded (or a web config file that cannot be read) is an error naming the key and the
 * file; a source path or glob that matches no file yet, and what referenceWarnings finds, are
 * warnings (a log file may appear after startup; the tailer waits for it).
 */
import { access, constants } from 'node:fs/promises';
import type { Config } from '../config/schema.js';
import { expandGlob } from '../sources/glob.js';
import { prepareFormat } from '../tables/read-table.js';
import { referenceWarnings } from '../windows/reference-checks.js';
import { loadReference, ReferenceError } from '../windows/reference-loader.js';

export interface ConfigFileCheck {
  errors: string[];
  warnings: string[];
  /** What was found: rows and features of the reference, files matched per source. */
  found: string[];
}

export async function checkConfigFiles(config: Config): Promise<ConfigFileCheck> {
  const check: ConfigFileCheck = { errors: [], warnings: [], found: [] };
  await checkReference(config, check);
  await checkSources(config, check);
  const web = config.server.web_config_file;
  if (web !== undefined) {
    await access(web, constants.R_OK).catch((err: NodeJS.ErrnoException) => check.errors.push(`server.web_config_file: cannot read ${web}: ${err.code ?? err.message}`));
  }
  return check;
}

async function checkReference(config: Config, check: ConfigFileCheck): Promise<void> {
  const path = config.reference.path;
  if (path === undefined) return;
  try {
    await prepareFormat(path);
    const profile = loadReference(path, config);
    const features = Object.entries(profile.features).map(([name, f]) => `${name} (${f.type})`);
    check.found.push(`reference.path: ${path}: ${profile.rows} rows, ${features.length} features: ${features.join(', ')}`);
    for (const w of referenceWarnings(profile, config)) check.warnings.push(w.message);
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    check.errors.push(`reference.path: ${err.message}`);
  }
}

async function checkSources(config: Config, check: ConfigFileCheck): Promise<void> {
  for (const [i, source] of config.sources.entries()) {
    if (source.type !== 'file') continue;
    for (const pattern of source.paths) {
      const files = await expandGlob(pattern).catch(() => []);
      if (files.length === 0) {
        check.warnings.push(`sources[${i}].paths: ${pattern} matches no file (modelwatch waits for it; check the path and the volume mount)`);
      } else {
        check.found.push(`sources[${i}].paths: ${pattern}: ${files.length} file${files.length === 1 ? '' : 's'}`);
      }
    }
  }
}
