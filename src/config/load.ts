/**
 * Reads the YAML config, interpolates `${ENV}` references, validates it against the schema and
 * reports every problem at once with the file, line and column to edit. `parseConfigText` is pure
 * (text and env in, Config out); `loadConfig` only adds the file read.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { interpolateDocument } from './interpolate.js';
import { wordIssue, type WordedIssue } from './issue-wording.js';
import { configSchema, type Config } from './schema.js';
import { formatPath, locateNode, positionOf } from './yaml-locate.js';

export { ConfigError, type ConfigIssue } from './config-error.js';
export { formatResolvedConfig } from './format-resolved.js';

/** Guards toJS against "billion laughs" documents; a real config needs a handful of aliases at most. */
const MAX_ALIAS_COUNT = 100;

function parseYaml(text: string, file: string, lines: LineCounter): Document.Parsed {
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { file, line: Math.max(line, 1), column: Math.max(col, 1), path: '', message: `invalid YAML: ${error.message}` };
      }),
    );
  }
  return doc;
}

/** The first `*alias` whose anchor is not defined before it, so the error can point there. */
function unresolvedAlias(doc: Document.Parsed): Node | null {
  let found: Node | null = null;
  visit(doc, {
    Alias(_key, alias) {
      if (alias.resolve(doc) !== undefined) return undefined;
      found = alias;
      return visit.BREAK;
    },
  });
  return found;
}

function toPlainData(doc: Document.Parsed, file: string, lines: LineCounter): unknown {
  try {
    // An empty file (or one with only comments) means "all defaults".
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    // Unresolvable or excessive aliases only surface here, not in doc.errors.
    const { line, column } = positionOf(unresolvedAlias(doc) ?? (doc.contents as Node | null), lines);
    throw new ConfigError([{ file, line, column, path: '', message: `invalid YAML: ${(error as Error).message}` }]);
  }
}

function placeIssue(worded: WordedIssue, doc: Document.Parsed, file: string, lines: LineCounter): ConfigIssue {
  const root = doc.contents as Node | null;
  const target =
    worded.anchor === 'parent' ? locateNode(root, worded.path.slice(0, -1)) : locateNode(root, worded.path);
  const node = worded.anchor === 'key' && target.complete && target.key ? target.key : target.value;
  const { line, column } = positionOf(node, lines);
  return { file, line, column, path: formatPath(worded.path), message: worded.message };
}

export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const lines = new LineCounter();
  const doc = parseYaml(text, file, lines);

  const failures = interpolateDocument(doc, env);
  if (failures.length > 0) {
    throw new ConfigError(
      failures.map(({ node, path, message }) => ({ file, ...positionOf(node, lines), path: formatPath(path), message })),
    );
  }

  const data = toPlainData(doc, file, lines);
  const result = configSchema.safeParse(data);
  if (result.success) return result.data;
  const worded = result.error.issues.flatMap((issue) => wordIssue(issue, data, configSchema));
  throw new ConfigError(worded.map((issue) => placeIssue(issue, doc, file, lines)));
}

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ file, line: 0, column: 0, path: '', message: `cannot read file: ${(error as Error).message}` }]);
  }
  return parseConfigText(text, file, env);
}
