import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { planPush } from './push-manifest';

const dir = () => mkdtempSync(join(tmpdir(), 'wharf-manifest-'));

describe('planPush', () => {
  it('takes the manifest, applies flags on top and drops path from what is sent', async () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'manifest.yml'),
      'applications:\n- name: web\n  path: src\n  memory: 512M\n  buildpacks: [python_buildpack]\n',
    );
    const [plan] = await planPush({
      cwd,
      noManifest: false,
      flags: { memory: '256M', buildpacks: ['nodejs_buildpack'], command: 'node a.js', timeout: 5 },
    });
    expect(plan?.name).toBe('web');
    expect(plan?.path).toBe(join(cwd, 'src'));
    expect(parse(plan?.manifestYaml ?? '')).toEqual({
      applications: [
        {
          name: 'web',
          memory: '256M',
          buildpacks: ['nodejs_buildpack'],
          command: 'node a.js',
          timeout: 5,
        },
      ],
    });
  });

  it('pushes only the named app of several, and refuses flags for several', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'manifest.yml'), 'applications:\n- name: a\n- name: b\n');
    const plans = await planPush({ cwd, appName: 'b', noManifest: false, flags: {} });
    expect(plans.map((p) => p.name)).toEqual(['b']);
    await expect(planPush({ cwd, noManifest: false, flags: { instances: 2 } })).rejects.toThrow(
      'flags cannot be used with a manifest of several apps',
    );
  });

  it('needs a name without a manifest, and ignores the manifest with --no-manifest', async () => {
    const cwd = dir();
    await expect(planPush({ cwd, noManifest: false, flags: {} })).rejects.toThrow(
      'requires an app name',
    );
    writeFileSync(join(cwd, 'manifest.yml'), 'applications:\n- name: a\n  instances: 3\n');
    const [plan] = await planPush({ cwd, appName: 'z', noManifest: true, flags: { path: 'x' } });
    expect(plan?.path).toBe(join(cwd, 'x'));
    expect(parse(plan?.manifestYaml ?? '')).toEqual({ applications: [{ name: 'z' }] });
  });

  it('says when the manifest is not YAML or has no applications list', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'm.yml'), 'applications: [\n');
    await expect(
      planPush({ cwd, manifestPath: 'm.yml', noManifest: false, flags: {} }),
    ).rejects.toThrow('is not valid YAML');
    writeFileSync(join(cwd, 'm.yml'), 'apps: []\n');
    await expect(
      planPush({ cwd, manifestPath: 'm.yml', noManifest: false, flags: {} }),
    ).rejects.toThrow("needs an 'applications' list");
  });
});
