import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../errors/cli.error';
import { type CliConfig, CliConfigStore } from './cli-config.store';

describe('CliConfigStore', () => {
  let home: string;
  let store: CliConfigStore;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'wharf-home-'));
    store = new CliConfigStore(home);
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const full: CliConfig = {
    target: 'http://127.0.0.1:9000',
    accessToken: 'access',
    refreshToken: 'refresh',
    tokenExpiresAt: '2030-01-01T00:00:00.000Z',
    user: 'admin',
    org: { guid: 'org-guid', name: 'wharf' },
    space: { guid: 'space-guid', name: 'dev' },
  };

  it('lives at <home>/.wharf/config.json', () => {
    expect(store.path).toBe(join(home, '.wharf', 'config.json'));
  });

  it('reads an empty config when the file does not exist yet', async () => {
    await expect(store.load()).resolves.toEqual({});
  });

  it('writes the config with mode 0600 and reads it back', async () => {
    await store.save(full);
    const mode = (await stat(store.path)).mode & 0o777;
    expect(mode).toBe(0o600);
    await expect(store.load()).resolves.toEqual(full);
    const onDisk = JSON.parse(await readFile(store.path, 'utf8')) as unknown;
    expect(onDisk).toEqual(full);
  });

  it('tightens the mode of an existing, too-open file on save', async () => {
    await mkdir(store.dir, { recursive: true });
    await writeFile(store.path, '{}', { mode: 0o644 });
    await store.save({ target: 'http://x' });
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
  });

  it('update() applies a change to what is on disk', async () => {
    await store.save(full);
    await store.update((c) => ({ ...c, space: undefined, accessToken: 'new' }));
    const { space, accessToken, org } = await store.load();
    expect(space).toBeUndefined();
    expect(accessToken).toBe('new');
    expect(org).toEqual(full.org);
  });

  it('drops unknown and mistyped fields instead of trusting them', async () => {
    await mkdir(store.dir, { recursive: true });
    await writeFile(
      store.path,
      JSON.stringify({ target: 'http://x', user: 42, org: { name: 'no-guid' }, extra: true }),
    );
    await expect(store.load()).resolves.toEqual({ target: 'http://x' });
  });

  it('rejects a corrupt file with a CliError naming it', async () => {
    await mkdir(store.dir, { recursive: true });
    await writeFile(store.path, '{not json');
    await expect(store.load()).rejects.toThrow(CliError);
    await expect(store.load()).rejects.toThrow(store.path);
  });
});
