/**
 * Palmer penguins (vega-datasets penguins.json, 344 real birds of three species on three islands).
 * Rows with a missing measurement are dropped.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Penguin {
  species: string;
  island: string;
  beak_length_mm: number;
  beak_depth_mm: number;
  flipper_length_mm: number;
  body_mass_g: number;
}

interface RawPenguin {
  Species: string;
  Island: string;
  'Beak Length (mm)': number | null;
  'Beak Depth (mm)': number | null;
  'Flipper Length (mm)': number | null;
  'Body Mass (g)': number | null;
}

export function loadPenguins(): Penguin[] {
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  const raw = JSON.parse(readFileSync(join(dirname(entry), '..', 'data', 'penguins.json'), 'utf8')) as RawPenguin[];
  const out: Penguin[] = [];
  for (const p of raw) {
    const [bl, bd, fl, bm] = [p['Beak Length (mm)'], p['Beak Depth (mm)'], p['Flipper Length (mm)'], p['Body Mass (g)']];
    if (bl === null || bd === null || fl === null || bm === null) continue;
    out.push({ species: p.Species, island: p.Island, beak_length_mm: bl, beak_depth_mm: bd, flipper_length_mm: fl, body_mass_g: bm });
  }
  return out;
}

/** A CSV of the given columns of the rows. */
export function penguinsCsv(rows: readonly Penguin[], columns: readonly (keyof Penguin)[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => r[c]).join(','))].join('\n') + '\n';
}
