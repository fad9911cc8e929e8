/**
 * The one error type the config loader throws. Every problem carries the place it came from so the
 * message reads like a compiler's: `config.yaml:14:5 sources[0].paths: expected array, got number`.
 */

export interface ConfigIssue {
  /** The file name as the caller gave it. */
  file: string;
  /** 1-based; 0 when the problem has no place in the text (the file could not be read). */
  line: number;
  /** 1-based; 0 together with `line`. */
  column: number;
  /** Dotted path with `[i]` indices (`sources[0].paths`); empty for the document itself. */
  path: string;
  message: string;
}

export function formatConfigIssue(issue: ConfigIssue): string {
  const place = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : `${issue.file}:`;
  return issue.path === '' ? `${place} ${issue.message}` : `${place} ${issue.path}: ${issue.message}`;
}

/** Orders issues as they appear in the file, so the message reads top to bottom. */
function inDocumentOrder(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const ordered = inDocumentOrder(issues);
    super(ordered.map(formatConfigIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = ordered;
  }
}
