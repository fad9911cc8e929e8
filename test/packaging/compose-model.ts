/**
 * The parts of docker-compose.yml the packaging tests check: services, their bind mounts (host path
 * → container path) and named volumes, and a staged copy of a service's bind mounts laid out as the
 * container sees them, so promtool and amtool can check a config where its relative paths resolve
 * exactly as they will in the container.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  build?: string | { context: string };
  entrypoint?: string[];
  command?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  pid?: string;
  depends_on?: string[];
  healthcheck?: { disable?: boolean };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export interface Mount {
  /** A repo-relative host path for a bind mount, or a named volume. */
  source: string;
  target: string;
  bind: boolean;
  readOnly: boolean;
}

export function parseCompose(text: string): ComposeFile {
  return parse(text) as ComposeFile;
}

/** Short-syntax volume entries (`./host:/container[:ro]`, `name:/container`). */
export function mounts(service: ComposeService): Mount[] {
  return (service.volumes ?? []).map((entry) => {
    const [source, target, mode] = entry.split(':');
    const bind = source.startsWith('./') || source.startsWith('/') || source.startsWith('../');
    return { source: bind ? source.replace(/^\.\//, '') : source, target, bind, readOnly: mode === 'ro' };
  });
}

export function buildContext(service: ComposeService): string | undefined {
  if (service.build === undefined) return undefined;
  return typeof service.build === 'string' ? service.build : service.build.context;
}

/** Copies each bind mount of the service from root into a temp dir at its container path. */
export function stageBindMounts(service: ComposeService, root: string): string {
  const stage = mkdtempSync(join(tmpdir(), 'mw-compose-'));
  for (const m of mounts(service).filter((x) => x.bind)) {
    const from = join(root, m.source);
    const to = join(stage, m.target);
    mkdirSync(statSync(from).isDirectory() ? to : dirname(to), { recursive: true });
    cpSync(from, to, { recursive: true });
  }
  return stage;
}

/** The host file behind a container path, through the service's bind mounts (undefined: not mounted). */
export function hostPathOf(service: ComposeService, root: string, containerPath: string): string | undefined {
  for (const m of mounts(service).filter((x) => x.bind)) {
    if (containerPath === m.target || containerPath.startsWith(`${m.target}/`)) {
      const path = join(root, m.source, containerPath.slice(m.target.length));
      return existsSync(path) ? path : undefined;
    }
  }
  return undefined;
}

/** The value of a `--name=value` flag in a command list. */
export function flagValue(command: string[] | undefined, name: string): string | undefined {
  const prefix = `--${name}=`;
  return command?.find((c) => c.startsWith(prefix))?.slice(prefix.length);
}
