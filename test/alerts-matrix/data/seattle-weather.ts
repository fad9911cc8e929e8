/**
 * Seattle daily weather 2012–2015 (vega-datasets seattle-weather.csv, 1461 real days): precipitation,
 * temperatures and wind follow the seasons, so a window walking from winter into summer drifts
 * gradually and on several features at once.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface WeatherDay {
  date: string;
  /** 0-based day of the year. */
  dayOfYear: number;
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  weather: string;
}

export const WEATHER_FEATURES = ['precipitation', 'temp_max', 'temp_min', 'wind'] as const;

export function loadSeattleWeather(): WeatherDay[] {
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  const text = readFileSync(join(dirname(entry), '..', 'data', 'seattle-weather.csv'), 'utf8');
  const [, ...lines] = text.trim().split('\n');
  return lines.map((line) => {
    const [date, precipitation, tempMax, tempMin, wind, weather] = line.split(',');
    const d = new Date(`${date}T00:00:00Z`);
    const dayOfYear = Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000);
    return { date, dayOfYear, precipitation: Number(precipitation), temp_max: Number(tempMax), temp_min: Number(tempMin), wind: Number(wind), weather };
  });
}

export function weatherCsv(days: readonly WeatherDay[]): string {
  return [WEATHER_FEATURES.join(','), ...days.map((d) => WEATHER_FEATURES.map((f) => d[f]).join(','))].join('\n') + '\n';
}
