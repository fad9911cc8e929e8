/**
 * 15. Memory near the container limit, then an OOM kill. The model server's container has a 4 GiB
 * limit (memory.max) and runs at 2.4 GiB resident; from minute 20 a leak grows it by 70 MiB a minute
 * to 3.8 GiB (93 % of the limit) at minute 40, where it stays until a large batch at minute 60 gets
 * it OOM-killed (memory.events oom_kill 0 → 1) and Kubernetes restarts it (a new pid, 2.4 GiB again).
 * Resident memory passes 90 % at minute 37; with `for: 10m` the near-limit alert comes within 30
 * minutes of the leak's start. The OOM kill alerts at the next evaluation after the counter rose.
 */
import { collectResources, type ContainerState } from '../harness/resource-series.js';
import { SeriesSet } from '../harness/series.js';
import type { Scenario } from './scenario.js';
import { START_MS, target } from './sidecar-config.js';

const MIB = 1024 * 1024;
const LEAK = 20;
const OOM = 60;
const END = 90;

function container(minute: number): ContainerState {
  const restarted = minute >= OOM;
  const rssMib = restarted ? 2458 : Math.min(3890, 2458 + Math.max(0, minute - LEAK) * 70);
  return {
    pid: restarted ? 5353 : 4242,
    startTicks: restarted ? 50_000 + OOM * 6000 : 50_000,
    rssBytes: rssMib * MIB,
    memoryCurrentBytes: (rssMib + 150) * MIB,
    memoryMaxBytes: 4096 * MIB,
    oomKills: restarted ? 1 : 0,
    cpuSeconds: 100 + minute * 30,
  };
}

export const memoryOom: Scenario = {
  id: '15',
  title: 'memory near the container limit, then an OOM kill',
  data: 'cgroup v2 files and /proc of the model server, rewritten every minute',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [
    { name: 'leak to 93 % of memory.max', start: LEAK, end: OOM },
    { name: 'OOM kill', start: OOM, end: END },
  ],
  expect: [
    { alert: 'ModelwatchModelServerMemoryNearLimit', incident: 0, fires: true, withinMinutes: 30 },
    { alert: 'ModelwatchModelServerOOMKilled', incident: 1, fires: true, withinMinutes: 2 },
  ],
  async build({ dir, keep }) {
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    await collectResources(series, dir, target('mpg-0:9847'), END, container, keep);
    return { series, minutes: END };
  },
};
