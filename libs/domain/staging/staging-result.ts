import { parse } from 'yaml';
import type { DropletBuildpack } from './droplet.entity';

/**
 * A runtime a buildpack installed and declared (deps/<index>/runtime.yml, listed by the lifecycle
 * in staging_info.yml): the same for every app on the stack and version, so the platform provides
 * it as a shared layer (runtime-layers.ts) instead of carrying it in every droplet.
 */
export interface DeclaredRuntime {
  buildpack: string;
  name: string;
  version: string;
  /** The runtime's directory in the droplet, relative to /home/vcap: `deps/<index>/<dir>`. */
  path: string;
}

export interface StagingResult {
  processTypes: Record<string, string>;
  buildpacks: DropletBuildpack[];
  detectedBuildpack: string;
  runtimes: DeclaredRuntime[];
}

// The app's own code ran in the container that wrote staging_info.yml: every field is checked.
const RUNTIME_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const RUNTIME_VERSION = /^\d{1,4}\.\d{1,4}\.\d{1,6}$/;
const RUNTIME_PATH = /^deps\/\d{1,3}\/[a-z][a-z0-9_-]{0,31}$/;

/**
 * What the lifecycle left in /tmp/output, read into the droplet's fields. Start commands: the
 * buildpack's release (`default_process_types`), overridden per type by the app's Procfile.
 */
export function readStagingResult(files: {
  stagingInfo: string;
  release: string | null;
  procfile: string | null;
}): StagingResult {
  const info = (parse(files.stagingInfo) ?? {}) as {
    detected_buildpack?: string;
    detect_output?: string;
    buildpacks?: string[];
    start_command?: string;
    runtimes?: unknown;
  };
  const release = files.release
    ? ((parse(files.release) ?? {}) as { default_process_types?: Record<string, unknown> })
    : {};
  const processTypes: Record<string, string> = {};
  for (const [type, command] of Object.entries(release.default_process_types ?? {})) {
    if (typeof command === 'string' && command.trim()) processTypes[type] = command;
  }
  Object.assign(processTypes, parseProcfile(files.procfile ?? ''));
  const names = info.buildpacks ?? (info.detected_buildpack ? [info.detected_buildpack] : []);
  const detected = info.detected_buildpack ?? names[names.length - 1] ?? '';
  return {
    processTypes,
    detectedBuildpack: detected,
    runtimes: declaredRuntimes(info.runtimes, names),
    buildpacks: names.map((name) => ({
      name,
      buildpack_name: name,
      detect_output: name === detected && info.detect_output ? info.detect_output : null,
      version: null,
    })),
  };
}

/** The well-formed declarations of buildpacks that took part, each runtime name once. */
function declaredRuntimes(raw: unknown, buildpacks: string[]): DeclaredRuntime[] {
  if (!Array.isArray(raw)) return [];
  const found: DeclaredRuntime[] = [];
  for (const entry of raw as unknown[]) {
    if (!entry || typeof entry !== 'object') continue;
    const { buildpack, name, version, path } = entry as Record<string, unknown>;
    if (
      typeof buildpack === 'string' &&
      buildpacks.includes(buildpack) &&
      typeof name === 'string' &&
      RUNTIME_NAME.test(name) &&
      typeof version === 'string' &&
      RUNTIME_VERSION.test(version) &&
      typeof path === 'string' &&
      RUNTIME_PATH.test(path) &&
      !found.some((r) => r.name === name)
    ) {
      found.push({ buildpack, name, version, path });
    }
  }
  return found;
}

/** `type: command` per line; blank lines and `#` comments skipped, as Heroku and CF do. */
export function parseProcfile(text: string): Record<string, string> {
  const types: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const match = /^([A-Za-z0-9_-]+):\s*(.+?)\s*$/.exec(raw);
    if (match?.[1] && match[2] && !raw.trimStart().startsWith('#')) types[match[1]] = match[2];
  }
  return types;
}
