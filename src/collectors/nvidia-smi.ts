/**
 * Runs nvidia-smi with a timeout and sorts what can go wrong: not installed (ENOENT: a machine
 * without NVIDIA GPUs, said once), timed out (a hung driver: the child is killed), or a non-zero
 * exit with nvidia-smi's own message ("couldn't communicate with the NVIDIA driver", exit 9).
 */
// node:child_process is imported at the first call: a sidecar without the GPU collector does not keep
// it (and the net, dgram and stream modules it loads) resident (docs/performance.md, "The floor").
type ChildProcessModule = typeof import('node:child_process');
let childProcess: ChildProcessModule | undefined;

export type NvidiaSmiOutcome =
  | { ok: true; stdout: string }
  | { ok: false; reason: 'missing' | 'timeout' | 'failed'; message: string };

export class NvidiaSmiError extends Error {
  override name = 'NvidiaSmiError';
  constructor(
    readonly reason: 'missing' | 'timeout' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 3).join(' ').slice(0, 300);
}

export async function runNvidiaSmi(binary: string, args: readonly string[], timeoutSeconds: number): Promise<NvidiaSmiOutcome> {
  const { execFile } = (childProcess ??= await import('node:child_process'));
  return new Promise((resolve) => {
    execFile(
      binary,
      [...args],
      { timeout: Math.round(timeoutSeconds * 1000), killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolve({ ok: true, stdout });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: string | number };
        if (e.code === 'ENOENT') return resolve({ ok: false, reason: 'missing', message: `${binary} not found` });
        if (e.killed) return resolve({ ok: false, reason: 'timeout', message: `${binary} ${args[0] ?? ''} took longer than ${timeoutSeconds}s and was killed` });
        const said = firstLines(`${stdout}\n${stderr}`) || e.message;
        resolve({ ok: false, reason: 'failed', message: `${binary} ${args[0] ?? ''} exited with ${e.code ?? e.signal}: ${said}` });
      },
    );
  });
}

/** The output, or a thrown NvidiaSmiError carrying the reason. */
export async function nvidiaSmiOutput(binary: string, args: readonly string[], timeoutSeconds: number): Promise<string> {
  const outcome = await runNvidiaSmi(binary, args, timeoutSeconds);
  if (outcome.ok) return outcome.stdout;
  throw new NvidiaSmiError(outcome.reason, outcome.message);
}
