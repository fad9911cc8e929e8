/** HTTP status → the `code` label class (`2xx` … `5xx`); unknown or odd codes → `unknown`. */
export function statusClass(status: number | undefined): string {
  if (status === undefined || !Number.isFinite(status) || status < 100 || status > 599) return 'unknown';
  return `${Math.floor(status / 100)}xx`;
}

/** A request failed when it logged an error or answered with a 5xx or 4xx status. */
export function isErrorOutcome(status: number | undefined, error: string | undefined): boolean {
  return (error !== undefined && error !== '') || (status !== undefined && status >= 400);
}
