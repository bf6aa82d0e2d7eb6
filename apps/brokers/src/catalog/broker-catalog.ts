import { BrokerError, BrokerErrorCode } from '../osb/broker.errors';

/** A plan of a built-in service, with the limits its driver applies. */
export interface BrokerPlan {
  id: string;
  name: string;
  description: string;
  /** PostgreSQL: the database's connection limit. */
  connectionLimit?: number;
  /** Containers: memory of the service process and its container, in MiB. */
  memoryMb?: number;
}

export interface BrokerService {
  id: string;
  name: 'postgresql' | 'redis' | 'memcached';
  description: string;
  displayName: string;
  tags: string[];
  /** Provisioning needs `accepts_incomplete=true` (a container has to start first). */
  provisionsAsync: boolean;
  /** How long a platform should poll an async provision, in seconds. */
  maximumPollingDuration?: number;
  plans: BrokerPlan[];
}

/**
 * The built-in offerings. Ids are fixed GUIDs: a platform stores them, and the same id must mean
 * the same offering for as long as it is registered (OSB: globally unique, never reused).
 */
export const BROKER_SERVICES: readonly BrokerService[] = [
  {
    id: 'c02896c8-8615-4887-a778-6435c23310c8',
    name: 'postgresql',
    description: 'A PostgreSQL database of its own, with a database user per binding',
    displayName: 'PostgreSQL',
    tags: ['postgresql', 'postgres', 'relational', 'sql'],
    provisionsAsync: false,
    plans: [
      {
        id: 'bf935c51-f127-46b6-aa00-d53857f50dfc',
        name: 'small',
        description: 'A database on the shared services cluster, up to 20 connections',
        connectionLimit: 20,
      },
      {
        id: 'a1af0d12-c681-4bdb-9ec1-9c9c5e07acac',
        name: 'medium',
        description: 'A database on the shared services cluster, up to 100 connections',
        connectionLimit: 100,
      },
    ],
  },
  {
    id: '750acff9-ae44-4baf-81bc-7cd5153e4cf4',
    name: 'redis',
    description:
      'A Redis server of its own in a container, password-protected, data kept on a volume',
    displayName: 'Redis',
    tags: ['redis', 'key-value', 'cache'],
    provisionsAsync: true,
    maximumPollingDuration: 900,
    plans: [
      {
        id: '28d042f0-8318-4566-9c91-d46b369814b5',
        name: 'small',
        description: '64 MB of memory',
        memoryMb: 64,
      },
      {
        id: 'dbab5dfe-c8f3-41fd-b714-7daefda537bf',
        name: 'medium',
        description: '256 MB of memory',
        memoryMb: 256,
      },
    ],
  },
  {
    id: '50ae9c96-f49e-4d0c-941f-0d881f59396d',
    name: 'memcached',
    description: 'A memcached server of its own in a container',
    displayName: 'Memcached',
    tags: ['memcached', 'cache', 'key-value'],
    provisionsAsync: true,
    maximumPollingDuration: 900,
    plans: [
      {
        id: '4cc2d87a-5d96-445a-a782-fa7ffc4de913',
        name: 'small',
        description: '64 MB of cache',
        memoryMb: 64,
      },
      {
        id: '5f8273c8-df4b-4b37-ad69-5d2bb5131bee',
        name: 'medium',
        description: '256 MB of cache',
        memoryMb: 256,
      },
    ],
  },
];

export function findService(serviceId: string): BrokerService | undefined {
  return BROKER_SERVICES.find((s) => s.id === serviceId);
}

export function findPlan(service: BrokerService, planId: string): BrokerPlan | undefined {
  return service.plans.find((p) => p.id === planId);
}

/** The offering and plan a request names; an unknown one is OSB's 400. */
export function requireServicePlan(
  serviceId: string,
  planId: string,
): { service: BrokerService; plan: BrokerPlan } {
  const service = findService(serviceId);
  if (!service)
    throw new BrokerError(BrokerErrorCode.BadRequest, `Unknown service_id ${serviceId}.`);
  const plan = findPlan(service, planId);
  if (!plan)
    throw new BrokerError(
      BrokerErrorCode.BadRequest,
      `Unknown plan_id ${planId} for service ${service.name}.`,
    );
  return { service, plan };
}

/** The built-in services take no parameters yet; one they would ignore is refused instead. */
export function requireNoParameters(
  service: BrokerService,
  parameters: Record<string, unknown> | undefined,
): void {
  const names = Object.keys(parameters ?? {});
  if (names.length)
    throw new BrokerError(
      BrokerErrorCode.BadRequest,
      `The service ${service.name} takes no parameters (got ${names.join(', ')}).`,
    );
}
