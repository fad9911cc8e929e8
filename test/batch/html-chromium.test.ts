/**
 * The `--format html` drift report rendered by a real headless Chromium (Debian's `chromium`, found
 * or installed through test/helpers/binaries.ts; never a browser download): the parsed DOM has the
 * summary table and one SVG chart per feature, the screenshot shows one band of drawn bars per
 * feature in both colours, and Chromium's net log shows the page requested nothing (checked against
 * a control page that does make requests, so the check itself can fail).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDriftCommand } from '../../src/batch/drift-command.js';
import { CURRENT_COLOR, REFERENCE_COLOR } from '../../src/batch/html-chart.js';
import { requireBinary } from '../helpers/binaries.js';
import { captureIo, tempDir, writeInputs } from './cars-data.js';

const FEATURES = 8;
const WIDTH = 1100;
// Tall enough for the whole report of 8 features (about 5,500 px) in one screenshot.
const HEIGHT = 6400;

interface Rendered {
  dom: string;
  png: Buffer;
  /** URLs of the requests the page itself made (not Chromium's own background traffic). */
  pageRequests: string[];
}

/** Loads a file in headless Chromium once: the DOM after parsing, a screenshot and the net log. */
function render(chromium: string, htmlPath: string): Promise<Rendered> {
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-chromium-'));
  const png = join(dir, 'shot.png');
  const netLog = join(dir, 'net.json');
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars', '--force-device-scale-factor=1',
    // Nothing may leave the machine even if something asked: every host name fails to resolve.
    '--host-resolver-rules=MAP * ~NOTFOUND',
    `--user-data-dir=${join(dir, 'profile')}`, `--window-size=${WIDTH},${HEIGHT}`,
    `--screenshot=${png}`, `--log-net-log=${netLog}`, '--dump-dom', `file://${htmlPath}`,
  ];
  return new Promise((resolve, reject) => {
    execFile(chromium, args, { timeout: 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${chromium} failed (${error.message}): ${stderr.slice(-2000)}`));
      try {
        resolve({ dom: stdout, png: readFileSync(png), pageRequests: pageRequests(readFileSync(netLog, 'utf8')) });
      } catch (e) {
        reject(new Error(`${chromium} left no screenshot or net log (${(e as Error).message}): ${stderr.slice(-2000)}`));
      }
    });
  });
}

/** Requests a page started carry its origin as initiator; Chromium's own say "not an origin". */
function pageRequests(netLogJson: string): string[] {
  const log = JSON.parse(netLogJson) as { constants: { logEventTypes: Record<string, number> }; events: { type: number; params?: { url?: string; initiator?: string } }[] };
  const start = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events
    .filter((e) => e.type === start && e.params?.url !== undefined && e.params.initiator !== 'not an origin')
    .map((e) => e.params!.url!);
}

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes) to RGB rows. */
function decodePng(png: Buffer): { width: number; height: number; rgb: Uint8Array } {
  expect(png.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
  let width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  for (let pos = 8; pos < png.length;) {
    const length = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[12]], 'bit depth 8, not interlaced').toEqual([8, 0]);
      channels = data[9] === 2 ? 3 : data[9] === 6 ? 4 : 0;
      expect(channels, `colour type ${data[9]}`).toBeGreaterThan(0);
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? pixels[out + i - channels] : 0;
      const b = y > 0 ? pixels[out - stride + i] : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const c = y > 0 && i >= channels ? pixels[out - stride + i - channels] : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[out + i] = (line[i] + predictor) & 0xff;
    }
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) rgb.set(pixels.subarray(p * channels, p * channels + 3), p * 3);
  return { width, height, rgb };
}

/** A bar's colour as drawn: the fill at opacity 0.55 over the background (white, or the bar below). */
function barColour(hex: string, below = [255, 255, 255]): number[] {
  return [1, 3, 5].map((i, k) => Math.round(0.55 * parseInt(hex.slice(i, i + 2), 16) + 0.45 * below[k]));
}

function near(rgb: Uint8Array, p: number, colour: number[]): boolean {
  return Math.abs(rgb[p] - colour[0]) <= 8 && Math.abs(rgb[p + 1] - colour[1]) <= 8 && Math.abs(rgb[p + 2] - colour[2]) <= 8;
}

let html: string;
let report: Rendered;
let control: Rendered;

interface Band {
  from: number;
  to: number;
  reference: number;
  current: number;
}

/** Rows holding bar pixels, grouped into bands (one per chart: tables and headings separate them). */
function barBands({ width, height, rgb }: { width: number; height: number; rgb: Uint8Array }): Band[] {
  const reference = barColour(REFERENCE_COLOR);
  const current = barColour(CURRENT_COLOR);
  // Where the bars overlap, current is drawn over reference.
  const overlap = barColour(CURRENT_COLOR, reference);
  const bands: Band[] = [];
  for (let y = 0; y < height; y++) {
    let ref = 0, cur = 0, both = 0;
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      if (rgb[p] > 250 && rgb[p + 1] > 250 && rgb[p + 2] > 250) continue; // background
      if (near(rgb, p, reference)) ref++;
      else if (near(rgb, p, current)) cur++;
      else if (near(rgb, p, overlap)) both++;
    }
    if (ref + cur + both < 4) continue;
    const last = bands[bands.length - 1];
    if (last && y - last.to <= 12) Object.assign(last, { to: y, reference: last.reference + ref, current: last.current + cur });
    else bands.push({ from: y, to: y, reference: ref, current: cur });
  }
  return bands;
}

beforeAll(async () => {
  const chromium = requireBinary('chromium');
  const dir = tempDir();
  const inputs = writeInputs(dir);
  const { io, out, err } = captureIo();
  expect(await runDriftCommand(['--reference', inputs.refCsv, '--current', inputs.curCsv, '--format', 'html', '--categorical', 'Cylinders'], io)).toBe(0);
  expect(err()).toBe('');
  html = out();
  writeFileSync(join(dir, 'report.html'), html);
  // The control: the same report with its bars made invisible and two external references added.
  const controlHtml = html
    .replaceAll('fill-opacity="0.55"', 'fill-opacity="0"')
    .replaceAll(' stroke="' + CURRENT_COLOR + '"', '')
    .replace('</body>', '<img src="http://192.0.2.1/x.png"><link rel="stylesheet" href="https://example.invalid/a.css"></body>');
  writeFileSync(join(dir, 'control.html'), controlHtml);
  [report, control] = await Promise.all([render(chromium, join(dir, 'report.html')), render(chromium, join(dir, 'control.html'))]);
}, 120_000);

describe('the HTML drift report in headless Chromium', () => {
  it('is self-contained: no external references, and the page makes no request', () => {
    expect(html.match(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//gi)).toBeNull();
    expect(html).not.toMatch(/@import|url\(|<script/i);
    expect(report.pageRequests).toEqual([]);
    // The net-log check sees requests when a page makes them.
    expect(control.pageRequests.sort()).toEqual(['http://192.0.2.1/x.png', 'https://example.invalid/a.css']);
  });

  it('Chromium parses the summary table and one SVG chart with bars per feature', () => {
    const summaryLinks = report.dom.match(/<tr><td><a href="#f\d+">/g) ?? [];
    expect(summaryLinks.length).toBe(FEATURES);
    // One section per feature (id f<i>); the multivariate section has its own chart test.
    const sections = report.dom.split('<section ').slice(1).filter((s) => s.startsWith('id="f'));
    expect(sections.length).toBe(FEATURES);
    expect(report.dom).toContain('<section id="multivariate">');
    for (const section of sections) {
      const name = /<h2>(.*?) <small>/.exec(section)?.[1];
      expect(section.match(/<svg[ >]/g)?.length, `${name}: one chart`).toBe(1);
      const bars = section.match(/<rect /g)?.length ?? 0;
      // Two overlaid bars (reference, current) per bin, at least two bins.
      expect(bars % 2, name).toBe(0);
      expect(bars, name).toBeGreaterThanOrEqual(4);
      expect(section, name).toContain('<table>');
    }
  });

  it('the screenshot is not blank: one band of drawn reference and current bars per feature', () => {
    const { width, height, rgb } = decodePng(report.png);
    expect([width, height]).toEqual([WIDTH, HEIGHT]);
    // Distinct colours in a bitmap over the 2^24 RGB values; a blank page has one.
    const seen = new Uint8Array(1 << 21);
    let colours = 0;
    let inked = 0;
    for (let p = 0; p < rgb.length; p += 3) {
      const colour = (rgb[p] << 16) | (rgb[p + 1] << 8) | rgb[p + 2];
      if ((seen[colour >> 3] & (1 << (colour & 7))) === 0) {
        seen[colour >> 3] |= 1 << (colour & 7);
        colours++;
      }
      if (rgb[p] < 240 || rgb[p + 1] < 240 || rgb[p + 2] < 240) inked++;
    }
    expect(colours).toBeGreaterThan(50);
    expect(inked / (width * height)).toBeGreaterThan(0.01);
    const bands = barBands({ width, height, rgb });
    expect(bands.length, `bands of bars at rows ${bands.map((b) => `${b.from}-${b.to}`).join(', ')}`).toBe(FEATURES);
    for (const band of bands) {
      expect(band.to - band.from, `band at ${band.from}`).toBeGreaterThan(20);
      expect(band.reference, `reference bars at ${band.from}`).toBeGreaterThan(100);
      expect(band.current, `current bars at ${band.from}`).toBeGreaterThan(100);
    }
    // The same page without visible bars has none: the band count comes from the drawn bars.
    expect(barBands(decodePng(control.png))).toEqual([]);
  });
});
