/**
 * A small glob: `*` and `?` within one path segment, `[abc]` / `[a-z]` / `[!a-z]` classes, and `**`
 * as a whole segment for zero or more directories. As in a shell, a name starting with `.` is only
 * matched by a segment pattern that starts with `.`, and `**` does not enter dot directories or
 * follow symlinked directories (no loops). Node 20 has no fs.glob, hence this file.
 *
 * Rotated names such as `app.log.1` or `app.log.2.gz` never match `*.log`: the pattern is anchored at
 * both ends. Compressed files are refused whatever the pattern says (see isCompressed).
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

const MAX_DEPTH = 32;
const segmentCache = new Map<string, RegExp>();

export function hasGlobMagic(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

/** Rotated-and-compressed logs are never tailed: their bytes are not lines. */
export function isCompressed(path: string): boolean {
  return /\.(gz|tgz|bz2|xz|zst|lz4|lzma|zip|7z|z)$/i.test(path);
}

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/** Translates one path segment (no `/`) to an anchored RegExp. */
export function segmentRegExp(segment: string): RegExp {
  const cached = segmentCache.get(segment);
  if (cached) return cached;
  let re = segment.startsWith('.') ? '^' : '^(?!\\.)';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i];
    if (ch === '\\' && i + 1 < segment.length) re += escapeRegExp(segment[++i]);
    else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      re += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      i = close;
    } else re += escapeRegExp(ch);
  }
  const compiled = new RegExp(`${re}$`);
  segmentCache.set(segment, compiled);
  return compiled;
}

function splitPath(p: string): string[] {
  return p.split(sep).filter((s) => s.length > 0);
}

function matchSegments(pattern: string[], pi: number, parts: string[], si: number): boolean {
  if (pi === pattern.length) return si === parts.length;
  if (pattern[pi] === '**') {
    for (let k = si; k <= parts.length; k++) {
      if (matchSegments(pattern, pi + 1, parts, k)) return true;
      if (k < parts.length && parts[k].startsWith('.')) return false;
    }
    return false;
  }
  if (si === parts.length) return false;
  return segmentRegExp(pattern[pi]).test(parts[si]) && matchSegments(pattern, pi + 1, parts, si + 1);
}

/** Whether a path matches a pattern; both are compared as absolute paths. */
export function matchGlob(pattern: string, path: string): boolean {
  return matchSegments(splitPath(resolve(pattern)), 0, splitPath(resolve(path)), 0);
}

async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function walk(dir: string, segments: string[], index: number, depth: number, out: Set<string>): Promise<void> {
  if (index === segments.length) {
    if (await isRegularFile(dir)) out.add(dir);
    return;
  }
  const segment = segments[index];
  if (segment !== '**' && !hasGlobMagic(segment)) {
    await walk(join(dir, segment), segments, index + 1, depth, out);
    return;
  }
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // unreadable or not a directory: nothing matches below it
  }
  if (segment === '**') {
    await walk(dir, segments, index + 1, depth, out);
    if (depth >= MAX_DEPTH) return;
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith('.')) await walk(join(dir, e.name), segments, index, depth + 1, out);
    }
    return;
  }
  const re = segmentRegExp(segment);
  for (const e of entries) {
    if (re.test(e.name)) await walk(join(dir, e.name), segments, index + 1, depth, out);
  }
}

/**
 * Regular files (symlinks to files included) matching the pattern, as sorted absolute paths.
 * A pattern without magic characters yields itself when it names an existing file.
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const segments = splitPath(resolve(pattern));
  const out = new Set<string>();
  await walk(sep, segments, 0, 0, out);
  return [...out].sort();
}
