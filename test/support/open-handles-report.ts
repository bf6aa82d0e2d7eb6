import type { ChildProcess } from 'node:child_process';
import type { Socket as UdpSocket } from 'node:dgram';
import { Server, Socket } from 'node:net';

/**
 * Jest's global teardown for the projects that run in band (integration, e2e): the tests ran in
 * this process, so whatever they left open is still here. Anything that would keep the process
 * alive is named on stderr (server addresses, socket peers, child commands, timer counts), so a
 * run that `--forceExit` has to end says what a suite failed to close instead of hanging CI.
 */
export default async function openHandlesReport(): Promise<void> {
  // Closes that were already under way (sockets in their FIN exchange) get a moment to finish.
  // A timer that holds the process: jest writes its results after this teardown returns, and
  // with an unref'd one a process with nothing else left would end here, results unwritten.
  await new Promise((r) => setTimeout(r, 1000));
  const getHandles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles;
  const described = getHandles
    .call(process)
    .map(describe)
    .filter((d): d is string => d !== null);
  const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  if (timers > 0) described.push(`${timers} timer(s) still scheduled`);
  if (described.length === 0) return;
  process.stderr.write(
    `\nStill open after the tests (a suite did not close these):\n${described
      .map((d) => `  - ${d}`)
      .join('\n')}\n`,
  );
}

function describe(handle: unknown): string | null {
  if (handle instanceof Server) {
    const a = handle.address();
    return `server listening on ${typeof a === 'string' ? a : a ? `${a.address}:${a.port}` : '?'}`;
  }
  if (handle instanceof Socket) {
    const s = handle as Socket & { _isStdio?: boolean; fd?: number };
    if (s._isStdio || (typeof s.fd === 'number' && s.fd <= 2)) return null;
    if (s.remotePort) return `TCP connection ${s.localPort} → ${s.remoteAddress}:${s.remotePort}`;
    return `socket ${(s as unknown as { _pipeName?: string })._pipeName ?? '(unconnected or pipe)'}`;
  }
  const ctor = (handle as { constructor?: { name?: string } }).constructor?.name;
  if (ctor === 'ChildProcess') {
    const c = handle as ChildProcess;
    return `child process ${c.pid} ${c.spawnargs.join(' ')}`;
  }
  if (ctor === 'Socket' && typeof (handle as UdpSocket).address === 'function') {
    try {
      const a = (handle as UdpSocket).address();
      return `UDP socket on ${a.address}:${a.port}`;
    } catch {
      return 'UDP socket';
    }
  }
  return `handle ${ctor ?? typeof handle}`;
}
