import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  findCgroup2Mount, parseCgroupCpuStat, parseCgroupV2Path, parseCgroupValue, parseFlatKeyed, parseMemoryEvents,
} from '../../src/collectors/cgroup-parse.js';
import { FIXTURES } from './helpers.js';

const read = (p: string): string => readFileSync(`${FIXTURES}cgroup/${p}`, 'utf8');

describe('cgroup v2 files', () => {
  it('parses a throttled container cpu.stat into seconds', () => {
    expect(parseCgroupCpuStat(read('k8s-container/cpu.stat'))).toEqual({
      usageSeconds: 8391.832981, userSeconds: 7512.038133, systemSeconds: 879.794848,
      periods: 912345, throttledPeriods: 20456, throttledSeconds: 1853.204567,
    });
  });

  it('parses the recorded cpu.stat of this machine, which has no throttling fields', () => {
    const stat = parseCgroupCpuStat(read('recorded-hybrid-host/cpu.stat'));
    expect(stat.usageSeconds).toBeCloseTo(498.376532, 6);
    expect(stat.userSeconds + stat.systemSeconds).toBeCloseTo(stat.usageSeconds, 4);
    expect(stat.throttledSeconds).toBeUndefined();
    expect(stat.periods).toBeUndefined();
  });

  it('rejects a cpu.stat without usage', () => {
    expect(() => parseCgroupCpuStat('nr_periods 1\n')).toThrow(/usage_usec/);
  });

  it('parses memory.events', () => {
    expect(parseMemoryEvents(read('k8s-container/memory.events'))).toEqual({ low: 0, high: 0, max: 1523, oom: 3, oomKill: 3 });
  });

  it('reads memory.max as bytes, and "max" as no limit', () => {
    expect(parseCgroupValue(read('k8s-container/memory.max'))).toBe(4 * 1024 ** 3);
    expect(parseCgroupValue(read('unlimited/memory.max'))).toBeUndefined();
    expect(() => parseCgroupValue('lots\n')).toThrow(/not a cgroup value/);
    expect(() => parseCgroupValue('\n')).toThrow(/not a cgroup value/);
  });

  it('skips lines that are not key value pairs', () => {
    expect([...parseFlatKeyed('a 1\nnot a pair\nb x\n\nc 3\n')]).toEqual([['a', 1], ['c', 3]]);
  });
});

describe('locating the cgroup', () => {
  it('takes the 0:: line of /proc/PID/cgroup', () => {
    expect(parseCgroupV2Path(read('recorded-hybrid-host/proc-self-cgroup'))).toBe('/');
    expect(parseCgroupV2Path(read('proc-cgroup-k8s'))).toMatch(/^\/kubepods\.slice\/.*cri-containerd-[0-9a-f]+\.scope$/);
    expect(parseCgroupV2Path('4:memory:/x\n1:cpu:/\n')).toBeUndefined();
  });

  it('finds the cgroup2 mount on hybrid, unified and namespaced hosts, and none on v1-only', () => {
    expect(findCgroup2Mount(read('recorded-hybrid-host/mountinfo'))).toEqual({ mountPoint: '/sys/fs/cgroup/unified', root: '/' });
    expect(findCgroup2Mount(read('mountinfo-unified'))).toEqual({ mountPoint: '/sys/fs/cgroup', root: '/' });
    expect(findCgroup2Mount(read('mountinfo-container-ns'))).toEqual({ mountPoint: '/sys/fs/cgroup', root: '/' });
    expect(findCgroup2Mount(read('mountinfo-v1-only'))).toBeUndefined();
  });

  it('decodes octal escapes in mount paths', () => {
    expect(findCgroup2Mount('41 31 0:38 / /mnt/my\\040cgroup rw - cgroup2 cgroup2 rw\n')?.mountPoint).toBe('/mnt/my cgroup');
  });
});
