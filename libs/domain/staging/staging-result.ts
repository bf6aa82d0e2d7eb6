import { parse } from 'yaml';
import type { DropletBuildpack } from './droplet.entity';

export interface StagingResult {
  processTypes: Record<string, string>;
  buildpacks: DropletBuildpack[];
  detectedBuildpack: string;
}

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
    buildpacks: names.map((name) => ({
      name,
      buildpack_name: name,
      detect_output: name === detected && info.detect_output ? info.detect_output : null,
      version: null,
    })),
  };
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
