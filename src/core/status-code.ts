/** HTTP status → the `code` label class (`2xx` … `5xx`); unknown or odd codes → `unknown`. */
export function statusClass(status: number | undefined): string {
  if (status === undefined || !Number.isFinite(status) || status < 100 || status > 599) return 'unknown';
  return `${Math.floor(status / 100)}xx`;
}
