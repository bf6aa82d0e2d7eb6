import { readdirSync, readFileSync } from 'node:fs';

/** State and parent of a process from /proc; null when there is no such process. */
function statOf(pid: number): { state: string; ppid: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command, in parentheses, may hold spaces and parentheses itself: read after the last one.
  const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state, ppid: Number(ppid) };
}

/** Running: neither gone nor a zombie its parent has not reaped yet. */
export function alive(pid: number): boolean {
  const s = statOf(pid);
  return s !== null && s.state !== 'Z';
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((p) => statOf(p)?.ppid === pid);
}

/** The pid in a pid file (its first line: a postmaster.pid has more). */
export function pidFrom(file: string): number {
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]?.trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${file} holds no pid`);
  return pid;
}

/**
 * SIGKILL for each process and its children at once (a supervisor and its node, the postmaster
 * and its backends), parents first so that no supervisor starts a child again in between. Each
 * named process must be running before (a stale pid file must not pass for a kill) and everything
 * signalled must be gone after.
 */
export async function killWithChildren(pids: number[]): Promise<void> {
  expect(pids.filter((p) => !alive(p))).toEqual([]);
  const children = pids.flatMap(childrenOf);
  for (const p of pids) process.kill(p, 'SIGKILL');
  for (const c of children) {
    try {
      process.kill(c, 'SIGKILL');
    } catch (err) {
      // One may have ended on its own meanwhile (a postgres autovacuum worker): that is fine.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
  const deadline = Date.now() + 10_000;
  let left = [...pids, ...children].filter(alive);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = left.filter(alive);
  }
  expect(left).toEqual([]);
}

/**
 * SIGKILL for the children of a supervisor (the node it runs), which the supervisor then starts
 * again; resolves once they are gone.
 */
export async function killChildrenOf(supervisor: number): Promise<void> {
  const children = childrenOf(supervisor);
  expect(children).not.toEqual([]);
  for (const c of children) process.kill(c, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while (children.some(alive) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(children.filter(alive)).toEqual([]);
}
