import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { AppsErrorCode, appsError } from './apps.errors';
import { parseMegabytes } from '@wharf/contracts';

export type HealthCheckType = 'port' | 'http' | 'process';

export interface ProcessManifest {
  type: string;
  command?: string;
  instances?: number;
  memoryMb?: number;
  diskMb?: number;
  healthCheckType?: HealthCheckType;
  healthCheckHttpEndpoint?: string;
  healthCheckInvocationTimeout?: number;
  timeout?: number;
}

export interface ServiceReference {
  name: string;
  bindingName?: string;
  parameters?: Record<string, unknown>;
}

export interface AppManifest {
  name: string;
  path?: string;
  buildpacks?: string[];
  stack?: string;
  docker?: { image: string; username?: string };
  env: Record<string, string>;
  routes?: string[];
  randomRoute: boolean;
  noRoute: boolean;
  services: ServiceReference[];
  /** The web process from app-level fields, merged with a `processes` entry of type web. */
  processes: ProcessManifest[];
}

export interface Manifest {
  applications: AppManifest[];
}

/**
 * Reads a manifest.yml (the subset users write most; docs/architecture.md#the-push-flow).
 * Every problem names the field and its line, e.g. "applications[0].memory (line 4): ...".
 */
export function parseManifest(text: string): Manifest {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const at = (node: Node | null | undefined): string => {
    const offset = node?.range?.[0];
    return offset === undefined ? '' : ` (line ${lines.linePos(offset).line})`;
  };
  const bad = (field: string, node: Node | null | undefined, problem: string): never => {
    throw appsError(
      AppsErrorCode.InvalidManifest,
      `The manifest is invalid: ${field}${at(node)} ${problem}.`,
    );
  };
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e?.linePos?.[0]?.line;
    throw appsError(
      AppsErrorCode.InvalidManifest,
      `The manifest is not valid YAML${line ? ` (line ${line})` : ''}: ${e?.message.split('\n')[0] ?? 'parse error'}.`,
    );
  }
  const root = doc.contents;
  if (!isMap(root)) return bad('the document', root, 'must be a map with an applications list');
  const appsNode = root.get('applications', true) as Node | undefined;
  if (!isSeq(appsNode) || appsNode.items.length === 0) {
    return bad('applications', appsNode ?? root, 'must be a non-empty list');
  }

  const str = (map: Node, key: string, field: string): string | undefined => {
    if (!isMap(map)) return undefined;
    const n = map.get(key, true) as Node | undefined;
    if (n === undefined || (isScalar(n) && n.value === null)) return undefined;
    if (!isScalar(n) || (typeof n.value !== 'string' && typeof n.value !== 'number'))
      return bad(field, n, 'must be a string');
    return String(n.value);
  };
  const int = (
    map: Node,
    key: string,
    field: string,
    min: number,
    max: number,
  ): number | undefined => {
    if (!isMap(map)) return undefined;
    const n = map.get(key, true) as Node | undefined;
    if (n === undefined) return undefined;
    const v = isScalar(n) ? n.value : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      return bad(field, n, `must be a whole number from ${min} to ${max}`);
    }
    return v;
  };
  const bool = (map: Node, key: string, field: string): boolean => {
    if (!isMap(map)) return false;
    const n = map.get(key, true) as Node | undefined;
    if (n === undefined) return false;
    if (!isScalar(n) || typeof n.value !== 'boolean') return bad(field, n, 'must be true or false');
    return n.value;
  };
  const size = (map: Node, key: string, field: string): number | undefined => {
    const text = str(map, key, field);
    if (text === undefined) return undefined;
    const mb = parseMegabytes(text);
    if (mb === null || mb <= 0) {
      return bad(
        field,
        isMap(map) ? map.get(key, true) : map,
        `must be a size with a unit: B, K, KB, M, MB, G, GB, T or TB (got '${text}')`,
      );
    }
    return mb;
  };
  const healthType = (map: Node, key: string, field: string): HealthCheckType | undefined => {
    const v = str(map, key, field);
    if (v === undefined) return undefined;
    if (v === 'none') return 'process';
    if (v === 'port' || v === 'http' || v === 'process') return v;
    return bad(
      field,
      isMap(map) ? map.get(key, true) : map,
      `must be port, http or process (got '${v}')`,
    );
  };
  const processFields = (map: Node, prefix: string): Omit<ProcessManifest, 'type'> => ({
    command: str(map, 'command', `${prefix}.command`),
    instances: int(map, 'instances', `${prefix}.instances`, 0, 2000),
    memoryMb: size(map, 'memory', `${prefix}.memory`),
    diskMb: size(map, 'disk_quota', `${prefix}.disk_quota`),
    healthCheckType: healthType(map, 'health-check-type', `${prefix}.health-check-type`),
    healthCheckHttpEndpoint: str(
      map,
      'health-check-http-endpoint',
      `${prefix}.health-check-http-endpoint`,
    ),
    healthCheckInvocationTimeout: int(
      map,
      'health-check-invocation-timeout',
      `${prefix}.health-check-invocation-timeout`,
      1,
      60,
    ),
    timeout: int(map, 'timeout', `${prefix}.timeout`, 1, 180),
  });
  const defined = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

  const applications = appsNode.items.map((node, i): AppManifest => {
    const p = `applications[${i}]`;
    if (!isMap(node)) return bad(p, node as Node, 'must be a map');
    const name = str(node, 'name', `${p}.name`);
    if (!name) return bad(`${p}.name`, node, 'is required');

    let buildpacks: string[] | undefined;
    const bpsNode = node.get('buildpacks', true) as Node | undefined;
    if (bpsNode !== undefined) {
      if (
        !isSeq(bpsNode) ||
        !bpsNode.items.every((x) => isScalar(x) && typeof x.value === 'string')
      ) {
        return bad(`${p}.buildpacks`, bpsNode, 'must be a list of buildpack names');
      }
      buildpacks = bpsNode.items.map((x) => String((x as { value: unknown }).value));
    }
    const single = str(node, 'buildpack', `${p}.buildpack`);
    if (single !== undefined) buildpacks = [single];

    const env: Record<string, string> = {};
    const envNode = node.get('env', true) as Node | undefined;
    if (envNode !== undefined) {
      if (!isMap(envNode)) return bad(`${p}.env`, envNode, 'must be a map of names to values');
      for (const pair of envNode.items) {
        const k = isScalar(pair.key)
          ? String(pair.key.value)
          : bad(`${p}.env`, envNode, 'has a key that is not a string');
        const v = pair.value as Node | null;
        const value: unknown = isScalar(v) ? v.value : undefined;
        if (value === null) env[k] = '';
        else if (
          typeof value === 'string' ||
          typeof value === 'number' ||
          typeof value === 'boolean'
        ) {
          env[k] = String(value);
        } else return bad(`${p}.env.${k}`, v, 'must be a string, number or boolean');
      }
    }

    let routes: string[] | undefined;
    const routesNode = node.get('routes', true) as Node | undefined;
    if (routesNode !== undefined) {
      if (!isSeq(routesNode))
        return bad(`${p}.routes`, routesNode, 'must be a list of {route: host.domain}');
      routes = routesNode.items.map((r, j) => {
        const route = str(r as Node, 'route', `${p}.routes[${j}].route`);
        return route ?? bad(`${p}.routes[${j}].route`, r as Node, 'is required');
      });
    }

    const services: ServiceReference[] = [];
    const servicesNode = node.get('services', true) as Node | undefined;
    if (servicesNode !== undefined) {
      if (!isSeq(servicesNode)) return bad(`${p}.services`, servicesNode, 'must be a list');
      servicesNode.items.forEach((s, j) => {
        const f = `${p}.services[${j}]`;
        if (isScalar(s) && typeof s.value === 'string')
          return void services.push({ name: s.value });
        if (!isMap(s))
          return bad(
            f,
            s as Node,
            'must be a service instance name or {name, binding_name, parameters}',
          );
        const sname = str(s, 'name', `${f}.name`) ?? bad(`${f}.name`, s, 'is required');
        const params = s.get('parameters', true) as Node | undefined;
        if (params !== undefined && !isMap(params))
          return bad(`${f}.parameters`, params, 'must be a map');
        services.push(
          defined({
            name: sname,
            bindingName: str(s, 'binding_name', `${f}.binding_name`),
            parameters: params ? (params.toJSON() as Record<string, unknown>) : undefined,
          }),
        );
      });
    }

    let docker: AppManifest['docker'];
    const dockerNode = node.get('docker', true) as Node | undefined;
    if (dockerNode !== undefined) {
      const image =
        str(dockerNode, 'image', `${p}.docker.image`) ??
        bad(`${p}.docker.image`, dockerNode, 'is required');
      docker = defined({ image, username: str(dockerNode, 'username', `${p}.docker.username`) });
    }

    const processes: ProcessManifest[] = [];
    const web = defined({ type: 'web', ...processFields(node, p) });
    const procNode = node.get('processes', true) as Node | undefined;
    if (procNode !== undefined) {
      if (!isSeq(procNode)) return bad(`${p}.processes`, procNode, 'must be a list');
      procNode.items.forEach((proc, j) => {
        const f = `${p}.processes[${j}]`;
        const type =
          str(proc as Node, 'type', `${f}.type`) ?? bad(`${f}.type`, proc as Node, 'is required');
        if (processes.some((x) => x.type === type))
          bad(`${f}.type`, proc as Node, `repeats the process type '${type}'`);
        processes.push(defined({ type, ...processFields(proc as Node, f) }));
      });
    }
    const webEntry = processes.find((x) => x.type === 'web');
    if (webEntry) Object.assign(webEntry, { ...web, ...webEntry });
    else processes.unshift(web);

    return defined({
      name,
      path: str(node, 'path', `${p}.path`),
      buildpacks,
      stack: str(node, 'stack', `${p}.stack`),
      docker,
      env,
      routes,
      randomRoute: bool(node, 'random-route', `${p}.random-route`),
      noRoute: bool(node, 'no-route', `${p}.no-route`),
      services,
      processes,
    });
  });
  const names = new Set<string>();
  for (const a of applications) {
    if (names.has(a.name)) bad('applications', appsNode, `lists the app '${a.name}' twice`);
    names.add(a.name);
  }
  return { applications };
}
