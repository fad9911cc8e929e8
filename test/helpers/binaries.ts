/**
 * Real Prometheus, Alertmanager, promtool, amtool and Chromium for tests. Found on PATH or through
 * PROMETHEUS_BIN, PROMTOOL_BIN, ALERTMANAGER_BIN, AMTOOL_BIN, CHROMIUM_BIN. When missing on a Debian machine where
 * tests run as root, the Debian packages are installed; anywhere else the test fails saying how.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const BINARIES = {
  prometheus: { env: 'PROMETHEUS_BIN', pkg: 'prometheus', names: ['prometheus'] },
  promtool: { env: 'PROMTOOL_BIN', pkg: 'prometheus', names: ['promtool'] },
  // Debian names the binary prometheus-alertmanager.
  alertmanager: { env: 'ALERTMANAGER_BIN', pkg: 'prometheus-alertmanager', names: ['alertmanager', 'prometheus-alertmanager'] },
  amtool: { env: 'AMTOOL_BIN', pkg: 'prometheus-alertmanager', names: ['amtool'] },
  // Renders the HTML drift report headless (test/batch/html-chromium.test.ts).
  chromium: { env: 'CHROMIUM_BIN', pkg: 'chromium', names: ['chromium', 'chromium-browser'] },
} as const;

export type BinaryName = keyof typeof BINARIES;

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

export function findBinary(name: BinaryName): string | undefined {
  const fromEnv = process.env[BINARIES[name].env];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  for (const n of BINARIES[name].names) {
    const p = onPath(n);
    if (p) return p;
  }
  return undefined;
}

/** Path of the binary, or throws with instructions. Never a silent skip. */
export function requireBinary(name: BinaryName): string {
  const found = findBinary(name);
  if (found) return found;
  const { env, pkg } = BINARIES[name];
  throw new Error(
    `${name} not found on PATH and ${env} is not set. Install it with 'apt-get install ${pkg}' ` +
      `(Debian/Ubuntu), or download it from ${name === 'chromium' ? 'https://www.chromium.org/getting-involved/download-chromium/' : 'https://prometheus.io/download/'} and set ${env}=/path/to/${name}.`,
  );
}

/** Installs the missing Debian packages when that is possible (root on Debian); returns what it did. */
export function installMissing(): string[] {
  const missing = (Object.keys(BINARIES) as BinaryName[]).filter((b) => !findBinary(b));
  if (missing.length === 0) return [];
  const pkgs = [...new Set(missing.map((b) => BINARIES[b].pkg))];
  const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canApt) return [];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env });
  return pkgs;
}
