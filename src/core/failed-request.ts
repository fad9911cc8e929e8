/**
 * The one definition of a failed request, shared by the presets, traffic (error counts and the
 * error-rate SLO), drift and model quality (both skip failed requests: a failed response has no
 * prediction to judge). It failed when it logged an error (any non-empty value) or answered with a
 * 4xx or 5xx status; `error: ""` and `error: null` are not errors, status 499 (client closed) is.
 *
 * A failed request is still a request even when its line carries no features (a malformed payload,
 * an overload 503, a timeout usually log none): presets map it to a record without features that
 * traffic counts (outcome, latency, reason) and that never reaches drift or data quality. Only a
 * line that is neither a request with features nor a failed request is a line error.
 */
export function isFailedRequest(status: number | undefined, error: string | null | undefined): boolean {
  return (error !== undefined && error !== null && error !== '') || (status !== undefined && status >= 400);
}
