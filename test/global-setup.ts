/**
 * Runs once before all tests: makes sure the real Prometheus, Alertmanager and Chromium binaries are
 * present (installing the Debian packages when running as root on Debian). Tests that need them call
 * requireBinary(), which fails with instructions when they are still missing.
 */
import { installMissing } from './helpers/binaries.js';

export default function setup(): void {
  const installed = installMissing();
  if (installed.length > 0) console.log(`global-setup: installed ${installed.join(', ')}`);
}
