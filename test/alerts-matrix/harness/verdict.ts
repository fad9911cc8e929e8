/**
 * From the timeline of firing alerts to the matrix's cells. A notification is a firing episode of an
 * Alertmanager group (group_by: cluster, namespace, model, alertname, as prometheus/alertmanager.yml
 * routes): consecutive evaluations with at least one alert of the group firing.
 */
import type { Expectation, Incident, Scenario } from '../scenarios/scenario.js';
import type { RuleRun } from './promtool-alerts.js';

export interface Episode {
  alertname: string;
  /** cluster, namespace, model of the Alertmanager group. */
  group: string;
  severity: string;
  start: number;
  end: number;
}

export interface Row {
  scenario: string;
  expected: string;
  fired: string;
  minutesToFire: string;
  notifications: string;
  pagesOutside: string;
  otherAlerts: string;
  ok: boolean;
  /** What did not match, for the test's failure message. */
  problems: string[];
}

const GROUP_BY = ['cluster', 'namespace', 'model'] as const;

function episodesOf(minutes: number[], every: number): [number, number][] {
  const out: [number, number][] = [];
  for (const m of [...new Set(minutes)].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last && m - last[1] <= every) last[1] = m;
    else out.push([m, m]);
  }
  return out;
}

/** Episodes per Alertmanager group, of the firing alerts `match` accepts. */
export function episodes(run: RuleRun, every: number, severity: Map<string, string>, match: (labels: Record<string, string>) => boolean = () => true): Episode[] {
  const byGroup = new Map<string, { alertname: string; group: string; minutes: number[] }>();
  for (const f of run.firing) {
    if (!match(f.labels)) continue;
    const group = GROUP_BY.map((k) => f.labels[k] ?? '').join('/');
    const key = `${f.labels.alertname}|${group}`;
    let g = byGroup.get(key);
    if (!g) byGroup.set(key, (g = { alertname: f.labels.alertname, group, minutes: [] }));
    g.minutes.push(...f.minutes);
  }
  const out: Episode[] = [];
  for (const g of byGroup.values()) {
    for (const [start, end] of episodesOf(g.minutes, every)) out.push({ alertname: g.alertname, group: g.group, severity: severity.get(g.alertname) ?? '', start, end });
  }
  return out.sort((a, b) => a.start - b.start);
}

const within = (m: number, i: Incident) => m >= i.start && m <= i.end;
const short = (alertname: string) => alertname.replace(/^Modelwatch/, '');
const labelText = (labels: Record<string, string> = {}) => {
  const l = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return l.length ? `{${l.join(', ')}}` : '';
};

function expectationRow(s: Scenario, e: Expectation, run: RuleRun, severity: Map<string, string>): Omit<Row, 'pagesOutside' | 'otherAlerts'> {
  const incident = s.incidents[e.incident ?? 0];
  const any = e.alert === 'none';
  const mine = episodes(run, s.evaluationMinutes, severity, (l) => (any || l.alertname === e.alert) && Object.entries(e.labels ?? {}).every(([k, v]) => l[k] === v));
  // "none" expects silence over the whole scenario, not only inside an incident.
  const during = any ? mine : mine.filter((ep) => within(ep.start, incident));
  const fired = during.length > 0;
  const minutes = fired ? Math.min(...during.map((ep) => ep.start)) - incident.start : undefined;
  const max = e.maxNotifications ?? 1;
  const problems: string[] = [];
  if (fired !== e.fires) problems.push(`${e.alert} ${e.fires ? 'did not fire' : 'fired'} during "${incident.name}" (minutes ${incident.start}–${incident.end})`);
  if (fired && e.withinMinutes !== undefined && minutes! > e.withinMinutes) problems.push(`${e.alert} fired ${minutes} min after "${incident.name}" started, expected within ${e.withinMinutes}`);
  const gaps = fired && e.firingThroughEnd ? run.evaluations.filter((m) => m >= during[0].start && m <= incident.end && !during.some((ep) => m >= ep.start && m <= ep.end)) : [];
  if (gaps.length > 0) problems.push(`${e.alert} was not firing at minutes ${gaps.join(', ')} between its first firing and the end of "${incident.name}"`);
  if (during.length > max) problems.push(`${e.alert}: ${during.length} notifications during "${incident.name}", expected at most ${max} (episodes at minutes ${during.map((ep) => `${ep.start}–${ep.end}`).join(', ')})`);
  const name = `${short(e.alert)}${labelText(e.labels)}`;
  const expected = any ? 'no alert at all' : e.fires ? `${name} within ${e.withinMinutes ?? '–'} min${e.firingThroughEnd ? ', firing to the end' : ''}` : `no ${name}`;
  return {
    scenario: `${s.id}. ${s.title}`,
    expected,
    fired: `${fired ? 'yes' : 'no'}${fired === e.fires ? '' : ' ✗'}`,
    minutesToFire: minutes === undefined ? '–' : String(minutes),
    notifications: `${during.length}${during.length > max ? ` ✗ (≤ ${max})` : ''}${e.firingThroughEnd && fired ? (gaps.length ? ', gaps ✗' : ', firing to the end') : ''}`,
    ok: problems.length === 0,
    problems,
  };
}

/** The scenario's rows: one per expectation and per check; the pages and other alerts cells are the scenario's. */
export function scenarioRows(s: Scenario, run: RuleRun, severity: Map<string, string>): Row[] {
  const all = episodes(run, s.evaluationMinutes, severity);
  const inIncident = (ep: Episode) => s.incidents.some((i) => within(ep.start, i));
  const pagesOutside = all.filter((ep) => ep.severity === 'critical' && !inIncident(ep));
  const expected = new Set([...s.expect.filter((e) => e.fires).map((e) => e.alert), ...Object.keys(s.alsoAllowed ?? {})]);
  const other = all.filter((ep) => !expected.has(ep.alertname) || !inIncident(ep));
  const scenarioProblems = [
    ...pagesOutside.map((ep) => `page outside every incident: ${ep.alertname} ${ep.group} at minutes ${ep.start}–${ep.end}`),
    ...other.map((ep) => `unexpected alert: ${ep.alertname} (${ep.severity}) ${ep.group} at minutes ${ep.start}–${ep.end}`),
  ];
  const otherText = other.length === 0 ? '–' : [...new Set(other.map((ep) => `${short(ep.alertname)} @${ep.start}`))].join(', ') + ' ✗';
  const rows: Row[] = s.expect.map((e) => ({ ...expectationRow(s, e, run, severity), pagesOutside: `${pagesOutside.length}${pagesOutside.length ? ' ✗' : ''}`, otherAlerts: otherText }));
  for (const c of s.checks ?? []) {
    const { got, ok } = c.verify((q) => run.queries.get(`${q.expr}@${q.atMinute}`) ?? []);
    rows.push({ scenario: `${s.id}. ${s.title}`, expected: c.describe, fired: `${got}${ok ? '' : ' ✗'}`, minutesToFire: '–', notifications: '–', pagesOutside: rows[0]?.pagesOutside ?? '0', otherAlerts: otherText, ok, problems: ok ? [] : [`${c.describe}: ${got}`] });
  }
  rows[0].problems.push(...scenarioProblems);
  rows[0].ok &&= scenarioProblems.length === 0;
  return rows;
}
