import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { CgroupCollector, readCgroup } from '../../src/collectors/cgroup.js';
import { resolveCgroupSpec } from '../../src/collectors/cgroup-locate.js';
import { findCgroup2Mount } from '../../src/collectors/cgroup-parse.js';
import { TargetResolver } from '../../src/collectors/target.js';
import { resourcesSchema } from '../../src/config/resources-schema.js';
import { FIXTURES, logSink, metricType, value } from './helpers.js';

const CGROUPS = `${FIXTURES}cgroup`;
const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A /proc whose cgroup2 mount is the fixture tree and whose own cgroup is `selfPath`. */
function fakeProc(selfPath: string, mountinfo = `41 31 0:38 / ${CGROUPS} rw,relatime - cgroup2 cgroup2 rw\n`): string {
  const root = mkdtempSync(join(tmpdir(), 'modelwatch-proc-'));
  temps.push(root);
  mkdirSync(join(root, 'self'));
  writeFileSync(join(root, 'self', 'mountinfo'), mountinfo);
  writeFileSync(join(root, 'self', 'cgroup'), `0::${selfPath}\n`);
  return root;
}

function setup(target: Record<string, unknown>, procRoot: string) {
  const config = resourcesSchema.parse({ target });
  const registry = new Registry();
  const sink = logSink();
  const resolver = new TargetResolver(config.target, { logger: sink.logger, procRoot });
  return { registry, sink, resolver, collector: new CgroupCollector({ registry, logger: sink.logger, target: resolver, config }) };
}

describe('cgroup collector on recorded files', () => {
  it('exposes CPU, throttling, memory, limit and OOM kills of a container', async () => {
    const { registry, collector, resolver } = setup({ cgroup: `${CGROUPS}/k8s-container` }, fakeProc('/'));
    await collector.collect();
    const t = { target: 'model-server' };
    expect(await value(registry, 'modelwatch_target_cgroup_cpu_seconds_total', { mode: 'user' })).toBeCloseTo(7512.038133, 6);
    expect(await value(registry, 'modelwatch_target_cgroup_cpu_seconds_total', { mode: 'system' })).toBeCloseTo(879.794848, 6);
    expect(await value(registry, 'modelwatch_target_cpu_throttled_seconds_total', t)).toBeCloseTo(1853.204567, 6);
    expect(await value(registry, 'modelwatch_target_cpu_periods_total', t)).toBe(912345);
    expect(await value(registry, 'modelwatch_target_cpu_throttled_periods_total', t)).toBe(20456);
    expect(await value(registry, 'modelwatch_target_cgroup_memory_usage_bytes', t)).toBe(3 * 1024 ** 3);
    expect(await value(registry, 'modelwatch_target_cgroup_memory_limit_bytes', t)).toBe(4 * 1024 ** 3);
    expect(await value(registry, 'modelwatch_target_oom_kills_total', t)).toBe(3);
    for (const name of ['modelwatch_target_oom_kills_total', 'modelwatch_target_cpu_throttled_seconds_total']) expect(await metricType(registry, name)).toBe('counter');
    // The cgroup's processes are the target's.
    expect((await resolver.resolve())?.pids).toEqual([4242, 4250, 4251]);
  });

  it('leaves the limit out when memory.max is "max"', async () => {
    const { registry, collector } = setup({ cgroup: 'unlimited' }, fakeProc('/'));
    await collector.collect();
    expect(await value(registry, 'modelwatch_target_cgroup_memory_usage_bytes')).toBe(734003200);
    expect(await value(registry, 'modelwatch_target_cgroup_memory_limit_bytes')).toBeUndefined();
    expect(await value(registry, 'modelwatch_target_oom_kills_total')).toBe(0);
  });

  it('finds the cgroup of a target pid through /proc/PID/cgroup', async () => {
    const proc = fakeProc('/');
    mkdirSync(join(proc, '4242'));
    copyFileSync(`${FIXTURES}proc/4242/stat`, join(proc, '4242', 'stat'));
    writeFileSync(join(proc, '4242', 'cgroup'), '0::/k8s-container\n');
    const { registry, collector } = setup({ pid: 4242, include_children: false }, proc);
    await collector.collect();
    expect(await value(registry, 'modelwatch_target_oom_kills_total')).toBe(3);
  });

  it('logs a missing controller file once and leaves its series out', async () => {
    const { registry, collector, sink } = setup({ cgroup: 'recorded-hybrid-host' }, fakeProc('/'));
    await collector.collect();
    await collector.collect();
    expect(await value(registry, 'modelwatch_target_cgroup_cpu_seconds_total', { mode: 'user' })).toBeGreaterThan(0);
    expect(await value(registry, 'modelwatch_target_cgroup_memory_usage_bytes')).toBeUndefined();
    expect(await value(registry, 'modelwatch_target_cpu_throttled_seconds_total')).toBeUndefined();
    const logged = sink.lines.filter((l) => l.msg?.includes('cgroup files missing'));
    expect(logged).toHaveLength(1);
    expect(logged[0].missing).toEqual(['memory.current', 'memory.max', 'memory.events']);
  });
});

describe('resolving a cgroup spec', () => {
  it('maps self and pod onto the mount', async () => {
    const proc = fakeProc('/k8s-container');
    expect(await resolveCgroupSpec('self', { procRoot: proc })).toBe(`${CGROUPS}/k8s-container`);
    expect(await resolveCgroupSpec('pod', { procRoot: proc })).toBe(CGROUPS);
  });

  it('explains why pod is unknown inside a cgroup namespace', async () => {
    await expect(resolveCgroupSpec('pod', { procRoot: fakeProc('/') })).rejects.toThrow(/cannot see .*cgroup namespace/);
  });

  it('says "cgroup v2 not mounted" on a v1-only host', async () => {
    const mountinfo = readFileSync(`${CGROUPS}/mountinfo-v1-only`, 'utf8');
    await expect(resolveCgroupSpec('self', { procRoot: fakeProc('/', mountinfo) })).rejects.toThrow(/cgroup v2 not mounted/);
  });

  it('says when the directory does not exist or lies outside the namespace', async () => {
    await expect(resolveCgroupSpec('no-such-cgroup', { procRoot: fakeProc('/') })).rejects.toThrow(/does not exist/);
    await expect(resolveCgroupSpec('self', { procRoot: fakeProc('/../cri-containerd-1.scope') })).rejects.toThrow(/outside this container's cgroup namespace/);
  });
});

describe("this machine's own cgroup", () => {
  it('is read when cgroup v2 is mounted, or reported as not mounted', async () => {
    const mount = findCgroup2Mount(readFileSync('/proc/self/mountinfo', 'utf8'));
    if (!mount) {
      await expect(resolveCgroupSpec('self')).rejects.toThrow(/cgroup v2 not mounted/);
      return;
    }
    const dir = await resolveCgroupSpec('self');
    expect(dir.startsWith(mount.mountPoint)).toBe(true);
    const { registry, collector, sink } = setup({ cgroup: 'self' }, '/proc');
    await collector.collect();
    const user = (await value(registry, 'modelwatch_target_cgroup_cpu_seconds_total', { mode: 'user' })) as number;
    const system = (await value(registry, 'modelwatch_target_cgroup_cpu_seconds_total', { mode: 'system' })) as number;
    expect(user + system).toBeGreaterThan(0);
    const reading = await readCgroup(dir);
    if (existsSync(join(dir, 'memory.current'))) {
      expect(await value(registry, 'modelwatch_target_cgroup_memory_usage_bytes')).toBeGreaterThan(0);
      expect(reading.memoryCurrent).toBeGreaterThan(0);
    } else {
      // Hybrid hosts (and the root cgroup) have no memory controller in the unified hierarchy.
      expect(await value(registry, 'modelwatch_target_cgroup_memory_usage_bytes')).toBeUndefined();
      expect(sink.lines.find((l) => l.msg?.includes('cgroup files missing'))?.missing).toContain('memory.current');
    }
  });
});
