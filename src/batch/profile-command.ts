/**
 * `modelwatch profile --data FILE --out profile.json [--features a,b] [--categorical c,d]
 * [--prediction-column p] [--label-column y] [--bins B]`: profiles training data once, so the
 * sidecar loads a compact reference instead of re-reading the training set at every start.
 */
import { writeFileSync } from 'node:fs';
import { commandHelp, commandUsage, parseCommand, stringFlag, UsageError } from '../core/cli-args.js';
import { configSchema } from '../config/schema.js';
import { loadReference, ReferenceError, type ReferenceProgress } from '../windows/reference-loader.js';
import { prepareFormat } from '../tables/read-table.js';
import { PROFILE_SPEC } from './profile-args.js';


/** One line redrawn in place on a terminal: `profiling [########------] 12/20 Weight`. */
function progressBar(out: NodeJS.WritableStream): ReferenceProgress {
  return (stage, done, total, detail) => {
    const width = 24;
    const filled = total > 0 ? Math.round((width * done) / total) : 0;
    const bar = stage === 'profiling' ? ` [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}` : '';
    out.write(`\r\x1b[2K${stage}${bar}${detail ? ` ${detail}` : ''}`);
  };
}

function list(v: string | undefined): string[] | undefined {
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

export async function runProfileCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  try {
    const args = parseCommand(argv, PROFILE_SPEC);
    if (args.help) {
      io.stdout.write(commandHelp(PROFILE_SPEC));
      return 0;
    }
    const data = stringFlag(args, 'data');
    const out = stringFlag(args, 'out');
    if (!data || !out) throw new UsageError(`--data and --out are required\nusage: ${commandUsage(PROFILE_SPEC)}`);
    const bins = Number(stringFlag(args, 'bins') ?? 10);
    if (!Number.isInteger(bins) || bins < 2) throw new UsageError(`--bins: expected an integer ≥ 2, got ${stringFlag(args, 'bins')}`);
    const categorical = new Set(list(stringFlag(args, 'categorical')) ?? []);
    const wanted = list(stringFlag(args, 'features'));
    const names = [...new Set([...(wanted ?? []), ...categorical])];
    const config = configSchema.parse({
      drift: { bins },
      reference: { path: data, prediction_column: stringFlag(args, 'prediction-column'), label_column: stringFlag(args, 'label-column') },
      features: names.length > 0 ? names.map((name) => ({ name, type: categorical.has(name) ? 'categorical' : undefined })) : undefined,
    });
    const started = Date.now();
    await prepareFormat(data);
    const tty = (io.stderr as NodeJS.WriteStream).isTTY === true;
    const profile = loadReference(data, config, tty ? progressBar(io.stderr) : undefined);
    if (tty) io.stderr.write('\n');
    if (wanted) {
      for (const name of Object.keys(profile.features)) if (!wanted.includes(name)) delete profile.features[name];
      const missing = wanted.filter((n) => !(n in profile.features));
      if (missing.length > 0) throw new ReferenceError(`${data}: no column named ${missing.join(', ')}`);
    }
    writeFileSync(out, JSON.stringify(profile, null, 1) + '\n');
    io.stderr.write(`profiled ${profile.rows} rows, ${Object.keys(profile.features).length} features in ${Date.now() - started} ms → ${out}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ReferenceError) {
      io.stderr.write(`modelwatch profile: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
