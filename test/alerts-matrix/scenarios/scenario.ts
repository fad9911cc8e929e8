/**
 * What a scenario is: a log (or resource files) with known incidents at known minutes, how it is
 * turned into scraped series, and what the shipped alerts must do about it.
 */
import type { Query, QueryResult } from '../harness/promtool-alerts.js';
import type { Keep, SeriesSet } from '../harness/series.js';

/** Minutes from the scenario's origin. An alert episode that starts inside [start, end] belongs to it. */
export interface Incident {
  name: string;
  start: number;
  end: number;
}

export interface Expectation {
  /** An alert name, or `none`: no alert at all, anywhere in the scenario. */
  alert: string;
  /** Labels the firing alert must carry (the replica, the namespace). */
  labels?: Record<string, string>;
  /** Index into the scenario's incidents (default 0). */
  incident?: number;
  fires: boolean;
  /** When it fires: at most this many minutes after the incident starts. */
  withinMinutes?: number;
  /** Firing episodes (notifications) during the incident, at most (default 1). */
  maxNotifications?: number;
  /** Once fired, it must stay firing at every evaluation up to the incident's end. */
  firingThroughEnd?: boolean;
}

/** A check on a recorded series rather than an alert (the fleet drift score). */
export interface QueryCheck {
  describe: string;
  queries: Query[];
  /** Which of the series the queries read (through recording rules) reach promtool; default all. */
  series?: Keep;
  /** The cell text and whether it meets the expectation. */
  verify(results: (q: Query) => QueryResult[]): { got: string; ok: boolean };
}

export interface ScenarioContext {
  dir: string;
  /** The series some shipped alert (or a check) reads. */
  keep: Keep;
}

export interface Scenario {
  id: string;
  title: string;
  /** Where its data comes from. */
  data: string;
  stepSeconds: number;
  evaluationMinutes: number;
  incidents: Incident[];
  expect: Expectation[];
  /** Other alerts that may fire during an incident, and why that is right. */
  alsoAllowed?: Record<string, string>;
  checks?: QueryCheck[];
  /** Series of the scenario; `minutes` is how long it lasts. */
  build(ctx: ScenarioContext): Promise<{ series: SeriesSet; minutes: number }>;
}
