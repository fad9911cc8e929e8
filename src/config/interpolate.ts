/**
 * `${NAME}` and `${NAME:-default}` inside YAML string scalars. Done per scalar after parsing (not on
 * the raw text) so a variable's value can never change the document's structure and every node keeps
 * its line and column. `$${` is a literal `${`.
 */
import { isPair, isScalar, isSeq, parseDocument, visit, type Document, type Scalar } from 'yaml';

export type Interpolated = { ok: true; value: string } | { ok: false; message: string };

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/** Replaces every reference in one string. Like the shell, `:-` also applies to a set-but-empty variable. */
export function interpolateString(text: string, env: NodeJS.ProcessEnv): Interpolated {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out += text[i];
      i += 1;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) return { ok: false, message: 'unterminated "${" (write "$${" for a literal "${")' };
    const inner = text.slice(i + 2, close);
    const reference = REFERENCE.exec(inner);
    if (!reference) {
      return { ok: false, message: `invalid variable reference "\${${inner}}": expected \${NAME} or \${NAME:-default}` };
    }
    const [, name, fallback] = reference;
    const value = env[name];
    if (fallback !== undefined && (value === undefined || value === '')) out += fallback;
    else if (value === undefined) {
      return { ok: false, message: `environment variable ${name} is not set (write \${${name}:-default} to give a default)` };
    } else out += value;
    i = close + 1;
  }
  return { ok: true, value: out };
}

/**
 * An unquoted scalar is typed the way YAML would have typed the substituted text, so
 * `max_pending: ${PENDING:-5000}` is a number; quoting keeps a string. Only numbers and booleans:
 * anything else (including an empty result) stays the string it is.
 */
function retypePlain(text: string): string | number | boolean {
  if (text.trim() === '') return text;
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0 || !isScalar(doc.contents)) return text;
  const value = doc.contents.value;
  return typeof value === 'number' || typeof value === 'boolean' ? value : text;
}

export interface InterpolationFailure {
  node: Scalar;
  /** Where the scalar sits, as validation paths are written (`['sources', 0, 'paths', 1]`). */
  path: PropertyKey[];
  message: string;
}

/** The config path of a node from the ancestors `visit` hands over (document, maps, pairs, sequences). */
function configPathOf(ancestors: readonly unknown[], node: Scalar): PropertyKey[] {
  const chain = [...ancestors, node];
  const path: PropertyKey[] = [];
  chain.forEach((item, i) => {
    if (isPair(item)) path.push(isScalar(item.key) ? String(item.key.value) : '?');
    else if (isSeq(item)) path.push(item.items.indexOf(chain[i + 1]));
  });
  return path;
}

/** Interpolates every value scalar of the document in place; keys are left as written. */
export function interpolateDocument(doc: Document, env: NodeJS.ProcessEnv): InterpolationFailure[] {
  const failures: InterpolationFailure[] = [];
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const result = interpolateString(node.value, env);
      if (!result.ok) {
        failures.push({ node, path: configPathOf(ancestors, node), message: result.message });
        return;
      }
      node.value = node.type === 'PLAIN' ? retypePlain(result.value) : result.value;
    },
  });
  return failures;
}
