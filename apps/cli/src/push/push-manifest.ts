import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isSeq, parseDocument, stringify } from 'yaml';
import { CliError } from '../errors/cli.error';
import type { RouteWishes } from './route-mapper';

/** push's flags that override the manifest, as cf names them. */
export interface PushFlags {
  buildpacks?: string[];
  command?: string;
  instances?: number;
  memory?: string;
  disk?: string;
  path?: string;
  healthCheckType?: string;
  endpoint?: string;
  timeout?: number;
  noRoute?: boolean;
  randomRoute?: boolean;
}

export interface PushPlan {
  name: string;
  /** The directory to upload. */
  path: string;
  /** One application's manifest, overrides applied, as sent to apply_manifest. */
  manifestYaml: string;
  routes: RouteWishes;
}

type AppEntry = Record<string, unknown>;

const hasOverrides = (f: PushFlags): boolean =>
  Object.entries(f).some(([k, v]) => v !== undefined && k !== 'noRoute' && k !== 'randomRoute');

/**
 * Which apps a push pushes and with what: the manifest (./manifest.yml, or -f) unless
 * --no-manifest, one application when a name is given, the flags on top. Only the basic shape is
 * checked here; the API validates the rest and names the field and line.
 */
export async function planPush(input: {
  cwd: string;
  appName?: string;
  manifestPath?: string;
  noManifest: boolean;
  flags: PushFlags;
}): Promise<PushPlan[]> {
  let entries: AppEntry[] = [];
  let base = input.cwd;
  if (!input.noManifest) {
    const path = resolve(input.cwd, input.manifestPath ?? 'manifest.yml');
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' && !input.manifestPath) return null;
      throw new CliError(`Cannot read the manifest ${path}: ${err.message}`);
    });
    if (text !== null) {
      base = dirname(path);
      const doc = parseDocument(text);
      if (doc.errors.length > 0) {
        throw new CliError(
          `The manifest ${path} is not valid YAML: ${doc.errors[0]?.message ?? ''}`,
        );
      }
      const apps = doc.get('applications');
      if (!isSeq(apps) || apps.items.some((i) => !isMap(i))) {
        throw new CliError(`The manifest ${path} needs an 'applications' list of maps.`);
      }
      entries = (doc.toJS() as { applications: AppEntry[] }).applications;
    }
  }
  if (input.appName) {
    const found = entries.filter((e) => e.name === input.appName);
    entries = found.length > 0 ? found : [{ name: input.appName }];
  }
  if (entries.length === 0) {
    throw new CliError(
      'Incorrect Usage: the push command requires an app name, or a manifest.yml listing applications.',
    );
  }
  if (entries.length > 1 && hasOverrides(input.flags)) {
    throw new CliError(
      'Incorrect Usage: flags cannot be used with a manifest of several apps; name the app to push.',
    );
  }
  return entries.map((entry) => {
    const app = applyFlags({ ...entry }, input.flags);
    if (typeof app.name !== 'string' || app.name === '') {
      throw new CliError("Every application in the manifest needs a 'name'.");
    }
    // -p is relative to where the command runs; a manifest's path to the manifest.
    const path = input.flags.path
      ? resolve(input.cwd, input.flags.path)
      : resolve(base, typeof app.path === 'string' ? app.path : '.');
    delete app.path;
    const routes: RouteWishes = {
      routes: Array.isArray(app.routes) ? (app.routes as unknown[]).map(routeOf) : undefined,
      noRoute: app['no-route'] === true || input.flags.noRoute === true,
      randomRoute: app['random-route'] === true || input.flags.randomRoute === true,
    };
    return { name: app.name, path, manifestYaml: stringify({ applications: [app] }), routes };
  });
}

function applyFlags(app: AppEntry, f: PushFlags): AppEntry {
  if (f.buildpacks?.length) {
    app.buildpacks = f.buildpacks;
    delete app.buildpack;
  }
  if (f.command !== undefined) app.command = f.command;
  if (f.instances !== undefined) app.instances = f.instances;
  if (f.memory !== undefined) app.memory = f.memory;
  if (f.disk !== undefined) app.disk_quota = f.disk;
  if (f.healthCheckType !== undefined) app['health-check-type'] = f.healthCheckType;
  if (f.endpoint !== undefined) app['health-check-http-endpoint'] = f.endpoint;
  if (f.timeout !== undefined) app.timeout = f.timeout;
  return app;
}

/** A manifest route entry: `{route: "host.domain/path"}` (or the bare string). */
function routeOf(entry: unknown): string {
  const value =
    typeof entry === 'object' && entry !== null ? (entry as { route?: unknown }).route : entry;
  if (typeof value !== 'string' || value === '') {
    throw new CliError(
      "Each entry of 'routes' needs a 'route', e.g. {route: my-app.apps.localhost}.",
    );
  }
  return value;
}
