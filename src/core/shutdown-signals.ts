/**
 * SIGTERM and SIGINT caught from the first instant of `modelwatch run`. Node's default for both is
 * to die by the signal (exit 143/130); a kubelet sending SIGTERM while the sidecar is still loading
 * its reference or restoring its checkpoint would kill it mid-restore. Imported first by cli.ts, so
 * the handlers are installed before any other module is even evaluated; a signal that arrives
 * during startup is remembered and honoured once startup completes, with the usual clean stop.
 */

interface Catcher {
  /** Resolves with the first signal's name. */
  requested: Promise<string>;
  release(): void;
}

let catcher: Catcher | undefined;

/** Installs the handlers (once) and returns the promise of the first signal. */
export function catchShutdownSignals(): Catcher {
  if (catcher) return catcher;
  let resolve!: (signal: string) => void;
  const requested = new Promise<string>((r) => (resolve = r));
  const onTerm = () => resolve('SIGTERM');
  const onInt = () => resolve('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  catcher = {
    requested,
    release() {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      catcher = undefined;
    },
  };
  return catcher;
}

// The long-running command: caught at import. One-shot commands keep Node's default.
if (process.argv[2] === 'run') catchShutdownSignals();
