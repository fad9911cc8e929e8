// `npm start`'s prestart: rebuild dist/ only when a source is newer than the build. `npm ci` already
// built it (the prepare script), so a fresh clone's `npm ci && npm start` does not compile twice;
// an edited src/ file still rebuilds before the demo starts. Plain JavaScript: no tsx start-up cost.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

/** Newest modification time under a file or folder, 0 when absent. */
function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const built = statSync(join('dist', 'cli.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const sources = Math.max(...['src', 'scripts/bundle.mjs', 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map(newest));
if (built > 0 && built >= sources) process.exit(0);
process.stderr.write(built > 0 ? 'src/ changed since the last build: rebuilding dist/\n' : 'no dist/ yet: building\n');
const result = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
