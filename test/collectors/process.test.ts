import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { ProcessCollector } from '../../src/collectors/process.js';
import { TargetResolver } from '../../src/collectors/target.js';
import { resourcesSchema, type ResourcesConfig } from '../../src/config/resources-schema.js';
import { FIXTURES, logSink, metricType, value } from './helpers.js';

const PROC = `${FIXTURES}proc`;
const GiB = 1024 ** 3;

function setup(target: Record<string, unknown>, procRoot: string) {
  const config: ResourcesConfig = resourcesSchema.parse({ target });
  const registry = new Registry();
  const sink = logSink();
  const resolver = new TargetResolver(config.target, { logger: sink.logger, procRoot });
  const collector = new ProcessCollector({ registry, logger: sink.logger, target: resolver, config }, procRoot);
  return { registry, collector, sink, resolver };
}

describe('process collector on a fake /proc', () => {
  it('sums the target and its workers, CPU including reaped children', async () => {
    const { registry, collector } = setup({ pid: 4242, include_children: true }, PROC);
    await collector.collect();
    const t = { target: 'model-server' };
    expect(await value(registry, 'modelwatch_target_up', t)).toBe(1);
    expect(await value(registry, 'modelwatch_target_processes', t)).toBe(3);
    expect(await value(registry, 'modelwatch_target_cpu_seconds_total', { mode: 'user' })).toBe(735);
    expect(await value(registry, 'modelwatch_target_cpu_seconds_total', { mode: 'system' })).toBe(76);
    expect(await value(registry, 'modelwatch_target_memory_bytes', { kind: 'rss' })).toBe(4 * GiB);
    expect(await value(registry, 'modelwatch_target_memory_bytes', { kind: 'vms' })).toBe((16777216 + 2 * 33554432) * 1024);
    expect(await value(registry, 'modelwatch_target_memory_bytes', { kind: 'swap' })).toBe(1024 * 1024);
    expect(await value(registry, 'modelwatch_target_threads', t)).toBe(104);
    expect(await value(registry, 'modelwatch_target_open_fds', t)).toBe(28);
    expect(await value(registry, 'modelwatch_target_io_bytes_total', { direction: 'read' })).toBe(4194304000);
    expect(await value(registry, 'modelwatch_target_io_bytes_total', { direction: 'write' })).toBe(16384);
    expect(await value(registry, 'modelwatch_target_io_chars_total', { direction: 'read' })).toBe(10_000_000);
    expect(await value(registry, 'modelwatch_target_io_chars_total', { direction: 'write' })).toBe(104_000);
    expect(await value(registry, 'modelwatch_target_start_time_seconds', t)).toBe(1700000000 + 500);
    expect(await value(registry, 'modelwatch_target_restarts_total', t)).toBe(0);
  });

  it('counts the target alone when children are not included', async () => {
    const { registry, collector } = setup({ pid: 4242, include_children: false }, PROC);
    await collector.collect();
    expect(await value(registry, 'modelwatch_target_processes')).toBe(1);
    expect(await value(registry, 'modelwatch_target_cpu_seconds_total', { mode: 'user' })).toBe(120);
    expect(await value(registry, 'modelwatch_target_memory_bytes', { kind: 'rss' })).toBe(2 * GiB);
  });

  it('exposes _total names as counters', async () => {
    const { registry, collector } = setup({ pid: 4242 }, PROC);
    await collector.collect();
    for (const name of ['modelwatch_target_cpu_seconds_total', 'modelwatch_target_io_bytes_total', 'modelwatch_target_io_chars_total', 'modelwatch_target_restarts_total']) {
      expect(await metricType(registry, name)).toBe('counter');
    }
    expect(await registry.metrics()).toMatch(/# TYPE modelwatch_target_cpu_seconds_total counter\nmodelwatch_target_cpu_seconds_total\{target="model-server",mode="user"\} 735\n/);
  });

  it('reports the target down, with no stale figures, when it cannot be found', async () => {
    const { registry, collector, sink } = setup({ pid: 31337 }, PROC);
    await collector.collect();
    await collector.collect();
    expect(await value(registry, 'modelwatch_target_up')).toBe(0);
    expect(await value(registry, 'modelwatch_target_memory_bytes', { kind: 'rss' })).toBeUndefined();
    expect(await value(registry, 'modelwatch_target_cpu_seconds_total', { mode: 'user' })).toBeUndefined();
    expect(sink.lines.filter((l) => l.msg?.includes('not found'))).toHaveLength(1);
  });
});

// A real process: allocates and touches 64 MiB, opens 20 extra fds, burns CPU when told to.
const CHILD = `
const fs = require('fs');
const buf = Buffer.alloc(64 * 1024 * 1024, 1);
const fds = [];
for (let i = 0; i < 20; i++) fds.push(fs.openSync('/dev/null', 'r'));
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  pending += d;
  let i;
  while ((i = pending.indexOf('\\n')) >= 0) {
    const cmd = pending.slice(0, i);
    pending = pending.slice(i + 1);
    if (cmd === 'burn') {
      const start = process.cpuUsage();
      while (process.cpuUsage(start).user < 300000) {}
      process.stdout.write('burned\\n');
    }
  }
});
process.stdout.write('ready ' + buf[12345] + ' ' + fds.length + '\\n');
`;

function nextLine(child: ChildProcess, expected: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => expected.test(l));
      if (line) {
        child.stdout?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before printing ${expected}`)));
  });
}

describe('process collector on the real /proc', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    child = undefined;
  });

  it('sees a child that holds 64 MiB, 20 extra fds and burns CPU', async () => {
    child = spawn(process.execPath, ['-e', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
    expect(await nextLine(child, /^ready/)).toBe('ready 1 20');
    const { registry, collector } = setup({ pid: child.pid, include_children: false }, '/proc');
    await collector.collect();
    expect(await value(registry, 'modelwatch_target_up')).toBe(1);
    expect(await value(registry, 'modelwatch_target_memory_bytes', { kind: 'rss' })).toBeGreaterThanOrEqual(64 * 1024 * 1024);
    expect(await value(registry, 'modelwatch_target_memory_bytes', { kind: 'vms' })).toBeGreaterThan(64 * 1024 * 1024);
    expect(await value(registry, 'modelwatch_target_open_fds')).toBeGreaterThanOrEqual(23);
    expect(await value(registry, 'modelwatch_target_threads')).toBeGreaterThanOrEqual(1);
    const before = (await value(registry, 'modelwatch_target_cpu_seconds_total', { mode: 'user' })) as number;
    const charsBefore = (await value(registry, 'modelwatch_target_io_chars_total', { direction: 'read' })) as number;
    const burned = nextLine(child, /^burned/);
    child.stdin?.write('burn\n');
    await burned;
    await collector.collect();
    const after = (await value(registry, 'modelwatch_target_cpu_seconds_total', { mode: 'user' })) as number;
    // 0.3 s of user time burned; ticks are 10 ms.
    expect(after - before).toBeGreaterThanOrEqual(0.25);
    // Reading "burn\n" from stdin went through read(2).
    expect(await value(registry, 'modelwatch_target_io_chars_total', { direction: 'read' })).toBeGreaterThan(charsBefore);
    const start = (await value(registry, 'modelwatch_target_start_time_seconds')) as number;
    expect(Math.abs(start - Date.now() / 1000)).toBeLessThan(120);
  });
});
