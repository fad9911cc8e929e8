/**
 * The one definition of a failed request, shared by traffic (error counts and the error-rate SLO),
 * drift and model quality (both skip failed requests: a failed response has no prediction to judge).
 * It failed when it logged an error (any non-empty value) or answered with a 4xx or 5xx status;
 * `error: ""` and `error: null` are not errors, status 499 (client closed) is.
 */
export function isFailedRequest(status: number | undefined, error: string | null | undefined): boolean {
  return (error !== undefined && error !== null && error !== '') || (status !== undefined && status >= 400);
}
