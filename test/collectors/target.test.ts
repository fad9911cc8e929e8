import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TargetResolver } from '../../src/collectors/target.js';
import { resourceTargetSchema } from '../../src/config/resources-schema.js';
import { FIXTURES, logSink } from './helpers.js';

const PROC = `${FIXTURES}proc`;

function resolver(target: Record<string, unknown>, procRoot = PROC, selfPid = 1) {
  const sink = logSink();
  return { sink, resolver: new TargetResolver(resourceTargetSchema.parse(target), { logger: sink.logger, procRoot, selfPid }) };
}

describe('TargetResolver on a fake /proc', () => {
  it('finds a pid and its descendants', async () => {
    const { resolver: r } = resolver({ pid: 4242 });
    expect(await r.resolve()).toMatchObject({ name: 'model-server', kind: 'pid', rootPid: 4242, pids: [4242, 4250, 4251], generation: 1, includesChildren: true });
  });

  it('matches a pattern on the command line and takes the top of the matching tree, not a worker', async () => {
    const { resolver: r } = resolver({ process_name: 'vllm\\.entrypoints', include_children: false });
    expect((await r.resolve())?.pids).toEqual([4242]);
    // "python3" matches the master (comm) and both workers (cmdline): the master is the target.
    const { resolver: byComm } = resolver({ process_name: '^python3' });
    expect(await byComm.resolve()).toMatchObject({ rootPid: 4242, pids: [4242, 4250, 4251] });
  });

  it('never matches its own process', async () => {
    const { resolver: r } = resolver({ process_name: '^python3', include_children: false }, PROC, 4242);
    expect((await r.resolve())?.rootPid).toBe(4250);
  });

  it('picks the oldest of unrelated matches and says so once', async () => {
    const { resolver: r, sink } = resolver({ process_name: 'sshd|vllm' });
    expect((await r.resolve())?.rootPid).toBe(999);
    await r.resolve();
    const warned = sink.lines.filter((l) => l.msg?.includes('several unrelated processes'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ pids: [999, 4242], chosen: 999 });
  });

  it('is not configured without a selector, and rejects two selectors', () => {
    expect(resolver({}).resolver.configured).toBe(false);
    expect(() => resourceTargetSchema.parse({ pid: 1, process_name: 'x' })).toThrow(/set only one of/);
    expect(() => resourceTargetSchema.parse({ process_name: '(' })).toThrow(/regular expression/);
  });
});

describe('TargetResolver on the real /proc', () => {
  const started: ChildProcess[] = [];
  let dir: string | undefined;
  afterEach(async () => {
    for (const c of started.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) {
        process.kill(-(c.pid as number), 'SIGKILL');
        await once(c, 'exit');
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** A shell that forks two sleeping children, then says so; its own process group. */
  async function startTree(tag: string): Promise<ChildProcess> {
    const child = spawn('sh', ['-c', `sleep 3600.${tag}1 & sleep 3600.${tag}2 & echo started; wait`], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    started.push(child);
    const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    expect(chunk.toString()).toContain('started');
    await execed([`sleep\u00003600.${tag}1\u0000`, `sleep\u00003600.${tag}2\u0000`]);
    return child;
  }

  /**
   * Until each of these command lines is a process's: the shell echoes before its forked children
   * have exec'd `sleep`, and until then a child's command line is the shell's (a resolver asked then
   * finds no `sleep`: seen once in CI on a loaded machine).
   */
  async function execed(cmdlines: string[]): Promise<void> {
    for (let attempt = 0; attempt < 500; attempt++) {
      const seen = new Set<string>();
      for (const pid of readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        try {
          seen.add(readFileSync(`/proc/${pid}/cmdline`, 'latin1'));
        } catch {
          // Gone meanwhile.
        }
      }
      if (cmdlines.every((c) => seen.has(c))) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`processes never started: ${cmdlines.map((c) => c.replaceAll('\u0000', ' ').trim()).join(', ')}`);
  }

  it('follows a pidfile across a restart: gone is logged once, the new process is a new generation', async () => {
    dir = mkdtempSync(join(tmpdir(), 'modelwatch-target-'));
    const pidfile = join(dir, 'server.pid');
    const first = await startTree('7');
    writeFileSync(pidfile, `${first.pid}\n`);
    const { resolver: r, sink } = resolver({ pidfile }, '/proc', process.pid);
    const a = await r.resolve();
    expect(a).toMatchObject({ rootPid: first.pid, generation: 1 });
    expect(a?.pids).toHaveLength(3);

    process.kill(-(first.pid as number), 'SIGKILL');
    await once(first, 'exit');
    expect(await r.resolve()).toBeUndefined();
    expect(await r.resolve()).toBeUndefined();
    expect(sink.lines.filter((l) => l.msg?.includes('gone'))).toHaveLength(1);

    const second = await startTree('8');
    writeFileSync(pidfile, `${second.pid}\n`);
    expect(await r.resolve()).toMatchObject({ rootPid: second.pid, generation: 2 });
    expect(r.restarts).toBe(1);
    const restarted = sink.lines.filter((l) => l.msg?.includes('restarted'));
    expect(restarted).toHaveLength(1);
    expect(restarted[0]).toMatchObject({ pid: second.pid, previous_pid: first.pid, generation: 2 });
  });

  it('finds a real process by its command line and keeps its generation while it lives', async () => {
    const tree = await startTree('5');
    const { resolver: r } = resolver({ process_name: '^sleep 3600\\.51$', include_children: false }, '/proc', process.pid);
    const found = await r.resolve();
    expect(found?.pids).toHaveLength(1);
    expect(found?.rootPid).not.toBe(tree.pid);
    expect((await r.resolve())?.generation).toBe(1);
  });
});
