/**
 * Finds the cgroup v2 directory of the model server: from a configured path, from `self` (the
 * sidecar's own cgroup, when it runs inside the model server's container) or `pod` (its parent), or
 * from the target pid's /proc/PID/cgroup. Every way it can fail says why in words, because "no
 * container metrics" is otherwise a silent mystery on hybrid and v1-only hosts.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { findCgroup2Mount, parseCgroupV2Path, type CgroupMount } from './cgroup-parse.js';

export class CgroupUnavailableError extends Error {
  override name = 'CgroupUnavailableError';
}

export interface CgroupLocatorOptions {
  procRoot?: string;
}

export async function readCgroup2Mount(procRoot = '/proc'): Promise<CgroupMount> {
  const mountinfo = await readFile(join(procRoot, 'self', 'mountinfo'), 'utf8');
  const mount = findCgroup2Mount(mountinfo);
  if (!mount) {
    throw new CgroupUnavailableError(
      'cgroup v2 not mounted: /proc/self/mountinfo lists no cgroup2 filesystem (a cgroup v1-only host); ' +
        'container metrics need the unified hierarchy (systemd.unified_cgroup_hierarchy=1, or a kernel/runtime that mounts it)',
    );
  }
  return mount;
}

/** The hierarchy path ("/kubepods.slice/...") of a pid from /proc/PID/cgroup. */
export async function cgroupPathOfPid(procRoot: string, pid: number | 'self'): Promise<string> {
  const text = await readFile(join(procRoot, String(pid), 'cgroup'), 'utf8');
  const path = parseCgroupV2Path(text);
  if (path === undefined) {
    throw new CgroupUnavailableError(`cgroup v2 not in use for pid ${pid}: /proc/${pid}/cgroup has no "0::" line`);
  }
  return path;
}

/** Maps a hierarchy path onto the filesystem through the mount's root. */
export function hierarchyPathToDir(mount: CgroupMount, path: string): string {
  if (path === '/..' || path.startsWith('/../')) {
    throw new CgroupUnavailableError(
      `cgroup ${path} lies outside this container's cgroup namespace; mount the host's /sys/fs/cgroup or give the directory explicitly`,
    );
  }
  const root = mount.root === '/' ? '' : mount.root;
  if (root && path !== root && !path.startsWith(root + '/')) {
    throw new CgroupUnavailableError(`cgroup ${path} is not below ${mount.root}, the part of the hierarchy mounted at ${mount.mountPoint}`);
  }
  const below = path.slice(root.length).replace(/\/+$/, '');
  return below === '' ? mount.mountPoint : join(mount.mountPoint, below);
}

async function requireDir(dir: string): Promise<string> {
  try {
    if ((await stat(dir)).isDirectory()) return dir;
  } catch {
    // fall through to the explanation below
  }
  throw new CgroupUnavailableError(`cgroup directory ${dir} does not exist (the cgroup may have been removed)`);
}

/** The directory for a `resources.target.cgroup` value. */
export async function resolveCgroupSpec(spec: string, options: CgroupLocatorOptions = {}): Promise<string> {
  const procRoot = options.procRoot ?? '/proc';
  const mount = await readCgroup2Mount(procRoot);
  if (spec === 'self' || spec === 'pod') {
    const own = await cgroupPathOfPid(procRoot, 'self');
    if (spec === 'self') return requireDir(hierarchyPathToDir(mount, own));
    if (own === '/' || own === mount.root) {
      throw new CgroupUnavailableError(
        `cgroup "pod" needs the parent of ${own}, which this container cannot see (a cgroup namespace shows only its own cgroup); ` +
          'set resources.target.cgroup to the pod cgroup directory, or use a pid/process_name target',
      );
    }
    return requireDir(hierarchyPathToDir(mount, posix.dirname(own)));
  }
  if (spec.startsWith(mount.mountPoint + '/') || spec === mount.mountPoint) return requireDir(spec);
  // Anything else is a hierarchy path, absolute or relative to the root.
  return requireDir(hierarchyPathToDir(mount, posix.join('/', spec)));
}

/** The cgroup directory of a running pid. */
export async function cgroupDirOfPid(pid: number, options: CgroupLocatorOptions = {}): Promise<string> {
  const procRoot = options.procRoot ?? '/proc';
  const mount = await readCgroup2Mount(procRoot);
  return requireDir(hierarchyPathToDir(mount, await cgroupPathOfPid(procRoot, pid)));
}
