/**
 * For crash tests: `modelwatch run` as a real child process that can be killed and restarted, and a
 * scraper that records every counter it sees and notes any that went down (what Prometheus would
 * read as a reset).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './cli.js';
import { waitFor } from './prometheus.js';

/** Starts `modelwatch run --config FILE`; every child started is killed by killAll(). */
export class SidecarProcesses {
  private readonly children: ChildProcess[] = [];

  constructor(private readonly config: string) {}

  start(): ChildProcess {
    const c = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', '--config', this.config], { cwd: ROOT, stdio: 'ignore' });
    this.children.push(c);
    return c;
  }

  /** A failed assertion must not leave a sidecar running. */
  killAll(): void {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
  }
}

/**
 * Counter and histogram samples of the pipeline (series name with labels → value). Build info and
 * the sidecar's own process counters are left out: those restart with the process by nature.
 */
export function counterSamples(text: string, skip: (series: string) => boolean = () => false): Map<string, number> {
  const types = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(m[1], m[2]);
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('modelwatch_') || line.startsWith('modelwatch_build_info')) continue;
    const sp = line.lastIndexOf(' ');
    const series = line.slice(0, sp);
    if (skip(series)) continue;
    const name = series.replace(/\{.*$/, '');
    const type = types.get(name) ?? types.get(name.replace(/_(bucket|sum|count)$/, ''));
    if (type === 'counter' || type === 'histogram') out.set(series, Number(line.slice(sp + 1)));
  }
  return out;
}

export class MonotonicScraper {
  private readonly seen = new Map<string, number>();
  /** `series: before → after` for every counter that went down between two scrapes. */
  readonly decreases: string[] = [];
  scrapes = 0;

  constructor(
    private readonly url: string,
    private readonly counters: (text: string) => Map<string, number> = (t) => counterSamples(t),
    /** Also count a series seen before and missing from a later full exposition (a reset too). */
    private readonly strict = false,
  ) {}

  /** The exposition, or undefined while the sidecar is down (between a kill and the restart). */
  async scrape(): Promise<string | undefined> {
    let text: string;
    try {
      text = await (await fetch(`${this.url}/metrics`)).text();
    } catch {
      return undefined;
    }
    this.scrapes++;
    const now = this.counters(text);
    for (const [k, v] of now) {
      const before = this.seen.get(k);
      if (before !== undefined && v < before) this.decreases.push(`${k}: ${before} → ${v}`);
      this.seen.set(k, v);
    }
    // A 503 while starting is no exposition; a full one lacking a series Prometheus had is a reset.
    if (this.strict && text.includes('modelwatch_build_info')) {
      for (const [k, before] of this.seen) if (!now.has(k) && before > 0) this.decreases.push(`${k}: ${before} → absent`);
    }
    return text;
  }

  /** Waits until the sidecar answers. */
  up(): Promise<string> {
    return waitFor('the sidecar answering', async () => this.scrape(), 30_000, 100);
  }
}
