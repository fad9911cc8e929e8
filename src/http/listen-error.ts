/**
 * Why the server could not listen, in one line that names the address and what to change: a busy
 * port must not end in a Node stack trace. Kept apart from server.ts so the CLI can catch it
 * without loading express.
 */
export class ListenError extends Error {}

const WHY: Record<string, string> = {
  EADDRINUSE: 'address already in use (another process listens there)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'no such local address on this host',
};

export function listenError(address: string, err: NodeJS.ErrnoException): ListenError {
  const why = (err.code && WHY[err.code]) ?? err.message;
  return new ListenError(`cannot listen on ${address}: ${why}; choose another address with --web.listen-address (or server.listen in the config)`);
}
