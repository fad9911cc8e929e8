/**
 * `npx tsx bench/profile-table.ts PROFILE.cpuprofile [top] [activity]`: where the time of a `node --cpu-prof`
 * run goes, as the table in docs/performance.md: self time by stage (the src/ folder or file that
 * owns the function), then the top functions. Idle time (waiting for reads) is left out of the shares.
 * `activity` (a word of one, e.g. `checkpoint`): the top functions of that activity's samples alone.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof .bench/dist/bench/run-pipeline.js .bench/model-log-1000000.jsonl
 *   npx tsx bench/profile-table.ts /tmp/prof/*.cpuprofile
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { table } from './measure.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The stage a function belongs to, from its file (first match wins). */
const STAGES: [RegExp, string][] = [
  [/^\(garbage collector\)$/, 'garbage collector'],
  [/\/src\/stats\/multivariate\/|\/src\/windows\/multivariate/, 'multivariate drift (PCA reconstruction)'],
  [/\/src\/records\/scanner|\/src\/records\/timestamps/, 'line scanner and timestamps'],
  [/\/src\/records\//, 'record mapping'],
  [/\/src\/sources\/|^read$|^\(anon\) node:internal\/fs|node:internal\/fs|node:buffer/, 'file reads and line splitting'],
  [/\/src\/analyzers\/(drift|staged-records)|\/src\/windows\/(feature-drift|feature-binner|count-window|time-window|reference)|\/src\/stats\/(random|binning)/, 'drift (binning, windows)'],
  [/\/src\/analyzers\/(data-quality|quality\/(feature-checks|feature-rules|recent-ids))|\/src\/stats\/value-summary|\/src\/windows\/counter-window/, 'data quality'],
  [/\/src\/analyzers\/model-quality|\/src\/analyzers\/quality\/|\/src\/windows\/(label-join|prediction-columns|pair-window)|\/src\/core\/(id-table|fifo-map)/, 'model quality and label join'],
  [/\/src\/analyzers\/traffic|\/src\/metrics\/histogram/, 'traffic'],
  [/\/src\/analyzers\/|\/src\/core\//, 'analyzer set, record time, model series'],
  [/\/src\/stats\//, 'drift tick (statistics)'],
  [/\/src\/exposition\/|\/src\/metrics\/|prom-client/, '/metrics render'],
  [/node:internal\/(modules|bootstrap)|^compile|wrapSafe|node_modules/, 'startup (module loading)'],
];

function stageOf(fn: string, url: string): string {
  for (const [re, stage] of STAGES) if (re.test(url) || re.test(fn)) return stage;
  return 'other';
}

/**
 * A bundled run's frames (bench/build.ts: minified, one file) mapped back to their source file,
 * line and name by the bundle's source map, so stages and names read as an unbundled run's. Read
 * the profile before the bundle is built again: a later build's map names other functions.
 */
const maps = new Map<string, SourceMap | undefined>();
function unbundle(frame: ProfileNode['callFrame']): ProfileNode['callFrame'] {
  if (!frame.url.startsWith('file://')) return frame;
  let map = maps.get(frame.url);
  if (!maps.has(frame.url)) {
    const file = `${fileURLToPath(frame.url)}.map`;
    map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : undefined;
    if (map === undefined && frame.url.includes('/.bench/bundle/')) console.error(`no source map ${file}: its frames keep their bundled names`);
    maps.set(frame.url, map);
  }
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number; name?: string } | undefined;
  if (!entry?.originalSource) return frame;
  return { functionName: entry.name ?? frame.functionName, url: entry.originalSource.replace(/^.*?\/(src|bench|node_modules)\//, '/$1/'), lineNumber: entry.originalLine ?? 0, columnNumber: 0 };
}

/**
 * What each sample was done for: the outermost frame on its stack that names an activity (a
 * checkpoint's capture, encoding and write; a tick; a scrape; the reads and the records under
 * them), so a live minute splits into what recurs.
 */
const ACTIVITIES: [RegExp, string][] = [
  [/\/src\/(sources\/checkpoint|pipeline\/(snapshotter|pipeline-state))|\/src\/core\/json-chunk-writer/, 'checkpoint (capture, encode, write)'],
  [/\/src\/exposition\/|\/src\/server\/|prom-client/, 'scrapes'],
  [/^tick$|Tick$/, 'ticks'],
  [/\/src\/sources\/|\/src\/records\/|\/src\/pipeline\//, 'reads and records'],
];

const [path, topArg, onlyActivity] = process.argv.slice(2);
if (!path) throw new Error('usage: profile-table.ts PROFILE.cpuprofile [top] [activity]');
const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
for (const n of profile.nodes) n.callFrame = unbundle(n.callFrame);
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const activityCache = new Map<number, string>();
function activityOf(id: number): string {
  const known = activityCache.get(id);
  if (known !== undefined) return known;
  const up = parent.get(id);
  let activity = up === undefined ? 'other' : activityOf(up);
  if (activity === 'other') {
    const { functionName, url } = nodes.get(id)!.callFrame;
    for (const [re, name] of ACTIVITIES) if (re.test(url) || re.test(functionName)) {
      activity = name;
      break;
    }
  }
  activityCache.set(id, activity);
  return activity;
}
const byActivity = new Map<string, number>();
const byStage = new Map<string, number>();
const byFunction = new Map<string, number>();
let busy = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const { functionName, url, lineNumber } = nodes.get(profile.samples[i])!.callFrame;
  const dt = profile.timeDeltas[i] ?? 0;
  if (functionName === '(idle)' || functionName === '(program)') continue;
  busy += dt;
  const stage = stageOf(functionName, url);
  const activity = functionName === '(garbage collector)' ? 'garbage collector' : activityOf(profile.samples[i]);
  byActivity.set(activity, (byActivity.get(activity) ?? 0) + dt);
  byStage.set(stage, (byStage.get(stage) ?? 0) + dt);
  if (onlyActivity !== undefined && !activity.includes(onlyActivity)) continue;
  const name = `${functionName || '(anonymous)'} ${url.replace(/.*\/dist\/(src|bench)\//, '$1/').replace(/^file:\/\/.*\/node_modules\//, '')}:${lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + dt);
}
const pct = (t: number) => `${((100 * t) / busy).toFixed(1)} %`;
const ms = (t: number) => (t / 1000).toFixed(0);
console.log(`busy ${(busy / 1e6).toFixed(2)} s (idle and (program) left out)\n`);
console.log(table(['share', 'ms', 'stage'], [...byStage].sort((a, b) => b[1] - a[1]).map(([s, t]) => [pct(t), ms(t), s])));
console.log();
console.log(table(['share', 'ms', 'activity (outermost frame)'], [...byActivity].sort((a, b) => b[1] - a[1]).map(([s, t]) => [pct(t), ms(t), s])));
console.log();
const top = Number(topArg ?? 15);
if (onlyActivity !== undefined) console.log(`functions of the activity "${onlyActivity}" alone:\n`);
console.log(table(['share', 'ms', 'function'], [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top).map(([f, t]) => [pct(t), ms(t), `\`${f}\``])));
