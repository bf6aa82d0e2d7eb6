import { connect } from 'node:net';
import type { HealthCheckTypeName } from '@wharf/contracts';
import { APP_PORT } from './instance-container';

export interface HealthCheckSpec {
  type: HealthCheckTypeName;
  endpoint: string | null;
  /** Seconds to become healthy after start. */
  timeoutSeconds: number;
  /** Seconds each check may take. */
  invocationTimeoutSeconds: number;
  /** Seconds between checks once healthy. */
  intervalSeconds: number;
}

/**
 * CF's defaults (docs/architecture.md#defaults): start timeout 60 s (at most 180), checks of 1 s
 * every 30 s.
 */
export const HEALTH_DEFAULTS = {
  timeoutSeconds: 60,
  maxTimeoutSeconds: 180,
  invocationTimeoutSeconds: 1,
  intervalSeconds: 30,
  /** How often a starting instance is checked. */
  startingIntervalMs: 2000,
} as const;

export function healthCheckSpec(process: {
  healthCheckType: HealthCheckTypeName;
  healthCheckEndpoint: string | null;
  healthCheckTimeout: number | null;
  healthCheckInvocationTimeout: number | null;
  healthCheckInterval: number | null;
}): HealthCheckSpec {
  return {
    type: process.healthCheckType,
    endpoint: process.healthCheckEndpoint,
    timeoutSeconds: Math.min(
      process.healthCheckTimeout ?? HEALTH_DEFAULTS.timeoutSeconds,
      HEALTH_DEFAULTS.maxTimeoutSeconds,
    ),
    invocationTimeoutSeconds:
      process.healthCheckInvocationTimeout ?? HEALTH_DEFAULTS.invocationTimeoutSeconds,
    intervalSeconds: process.healthCheckInterval ?? HEALTH_DEFAULTS.intervalSeconds,
  };
}

export type HealthResult = { healthy: true } | { healthy: false; reason: string };

/**
 * One check of an instance at its container address (the port inside the container, not the
 * published one: Docker's proxy accepts connections on the host even when nothing listens).
 * `process` checks pass while the container runs; the caller knows that.
 */
export async function checkHealth(
  spec: HealthCheckSpec,
  containerIp: string,
): Promise<HealthResult> {
  const timeoutMs = spec.invocationTimeoutSeconds * 1000;
  switch (spec.type) {
    case 'process':
      return { healthy: true };
    case 'port':
      return tcpCheck(containerIp, APP_PORT, timeoutMs);
    case 'http': {
      const path = spec.endpoint ?? '/';
      try {
        const res = await fetch(`http://${containerIp}:${APP_PORT}${path}`, {
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'manual',
        });
        await res.body?.cancel();
        return res.status === 200
          ? { healthy: true }
          : { healthy: false, reason: `Failed to get HTTP 200 from ${path}: got ${res.status}` };
      } catch (err) {
        return {
          healthy: false,
          reason: `Failed to make HTTP request to '${path}' on port ${APP_PORT}: ${describe(err)}`,
        };
      }
    }
  }
}

function tcpCheck(host: string, port: number, timeoutMs: number): Promise<HealthResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: HealthResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () =>
      done({ healthy: false, reason: `Failed to make TCP connection to port ${port}: timed out` }),
    );
    socket.once('connect', () => done({ healthy: true }));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done({
        healthy: false,
        reason: `Failed to make TCP connection to port ${port}: ${err.code === 'ECONNREFUSED' ? 'connection refused' : err.message}`,
      }),
    );
  });
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: string } }).cause;
    if (err.name === 'TimeoutError') return 'timed out';
    return cause?.code === 'ECONNREFUSED' ? 'connection refused' : err.message;
  }
  return String(err);
}
