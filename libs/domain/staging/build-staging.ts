import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { extract as extractTar } from 'tar';
import { AppEnvironmentService, AppsQueryService } from '@wharf/apps';
import { PackagesQueryService } from '@wharf/packages';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { CellsQueryService } from '@wharf/cells';
import { BLOBSTORE, Blobstore } from '@wharf/platform/blobstore';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { LogBatchWriter, LogStore } from '@wharf/platform/logstream';
import { ContainerRuntime, ContainerRuntimeFactory } from '@wharf/platform/runtime';
import { BuildEntity } from './build.entity';
import { BuildRepository } from './build.repository';
import { DropletImageBuilder } from './droplet-image.builder';
import { DropletRepository } from './droplet.repository';
import { RUNTIMES_DIR, RuntimeLayers } from './runtime-layers';
import { DropletExpiry } from './droplet-expiry';
import { buildCacheBlobKey, dropletBlobKey } from './staging-blob-keys';
import { tarOf } from './tar-stream';
import { buildErrorForExit, STAGING_TIMEOUT_ERROR } from './staging.errors';
import { readStagingResult } from './staging-result';

/** Heroku's and CF's staging limit. */
export const STAGING_TIMEOUT_MS = 15 * 60_000;
const VCAP = '2000:2000';

const mb = (bytes: number): string =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)}K` : `${(bytes / 1024 / 1024).toFixed(1)}M`;

/**
 * Stages a build on a cell: a wharf/stack-build container (as vcap, with the build's memory
 * limit) gets the buildpacks, the package and the app's build cache copied in, runs the
 * lifecycle (buildpacks/lifecycle/builder.sh) with its output streamed as [STG/0] lines, and
 * hands back the droplet and the new cache, which go to the blobstore; the droplet also becomes
 * an image. Nothing is mounted from the worker's disk, so any reachable engine can stage.
 * The work of a `build.stage` job. A retried job starts over with a fresh container; a build that
 * already ended is left alone.
 */
@Injectable()
export class BuildStaging {
  private readonly logger = new Logger('Staging');

  constructor(
    private readonly builds: BuildRepository,
    private readonly droplets: DropletRepository,
    private readonly apps: AppsQueryService,
    private readonly packages: PackagesQueryService,
    private readonly environment: AppEnvironmentService,
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
    private readonly images: DropletImageBuilder,
    private readonly layers: RuntimeLayers,
    private readonly logs: LogStore,
    @Inject(BLOBSTORE) private readonly blobs: Blobstore,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    private readonly expiry: DropletExpiry,
  ) {}

  async run({ buildGuid }: { buildGuid: string }): Promise<void> {
    const build = await this.builds.findByGuidUnscoped(buildGuid);
    if (!build || build.state !== 'STAGING') return;
    const log = new LogBatchWriter(this.logs, build.appGuid, 'STG', '0');
    const work = await mkdtemp(join(await this.blobs.scratchDir(), `stage-${build.guid}-`));
    try {
      const outcome = await this.stage(build, log, work);
      if ('error' in outcome) {
        log.err(`Error staging application: ${outcome.error}`);
        await this.builds.finish(build.guid, { state: 'FAILED', error: outcome.error });
      } else {
        await this.builds.finish(build.guid, { state: 'STAGED', dropletGuid: outcome.dropletGuid });
        await this.expiry.expireOld(build.appGuid).catch((err: Error) => {
          this.logger.warn(`older droplets of app ${build.appGuid} kept: ${err.message}`);
        });
      }
    } finally {
      await log.close();
      await rm(work, { recursive: true, force: true });
    }
  }

  private async stage(
    build: BuildEntity,
    log: LogBatchWriter,
    work: string,
  ): Promise<{ dropletGuid: string } | { error: string }> {
    const app = await this.apps.findApp(PLATFORM_VISIBILITY, build.appGuid);
    if (!app) return { error: 'StagingError - Staging error: the app was deleted' };
    const cell = await this.cells.placementCell();
    const runtime = this.runtimes.forCell(cell);
    const labels = {
      'wharf.managed': 'true',
      'wharf.installation': this.config.installation,
      'wharf.role': 'staging',
      'wharf.app_guid': build.appGuid,
      'wharf.build_guid': build.guid,
    };
    // A container of this build left by a worker that stopped mid-staging: the job was retried.
    if (await this.removeContainers(runtime, { 'wharf.build_guid': build.guid })) {
      log.out('Staging again: the worker that was staging this build stopped before it finished');
    }

    const image = `wharf/stack-build:${build.stack}`;
    if (!(await runtime.imageExists(image))) {
      return {
        error: `StagingError - Staging error: the stack image ${image} is missing on cell ${cell.name}; \`npm run up\` builds it`,
      };
    }

    // Inputs: /tmp/input/package.{zip,tar} and cache.tgz, then /tmp/buildpacks.
    const input = join(work, 'input');
    await mkdir(input);
    const pkg = await this.packages.openBits(PLATFORM_VISIBILITY, build.packageGuid);
    const packageFile = join(
      input,
      pkg.pkg.archiveFormat === 'zip' ? 'package.zip' : 'package.tar',
    );
    log.out('Downloading app package...');
    await pipeline(pkg.stream, createWriteStream(packageFile));
    log.out(`Downloaded app package (${mb((await stat(packageFile)).size)})`);
    const cache = await this.blobs.get(buildCacheBlobKey(build.appGuid));
    if (cache) {
      log.out('Downloading build artifacts cache...');
      await pipeline(cache, createWriteStream(join(input, 'cache.tgz')));
      log.out(
        `Downloaded build artifacts cache (${mb((await stat(join(input, 'cache.tgz'))).size)})`,
      );
    }

    const env = await this.environment.describe(PLATFORM_VISIBILITY, build.appGuid);
    const memoryBytes = build.stagingMemoryInMb * 1024 * 1024;
    // Staging is told the same open-files limit as the app's instances, and gets it.
    const fds = env.vcapApplication.limits.fds;
    log.out(`Cell ${cell.name} creating container for instance ${build.guid}`);
    const id = await runtime.createContainer({
      name: `wharf-${this.config.installation}-staging-${build.guid}`,
      image,
      cmd: ['bash', '/tmp/buildpacks/lifecycle/builder.sh'],
      user: VCAP,
      env: {
        ...env.stagingEnv,
        ...env.environmentVariables,
        VCAP_APPLICATION: JSON.stringify(env.vcapApplication),
        VCAP_SERVICES: JSON.stringify(env.vcapServices),
        CF_STACK: build.stack,
        MEMORY_LIMIT: `${build.stagingMemoryInMb}m`,
        LANG: 'en_US.UTF-8',
        ...(build.buildpacks.length > 0 ? { BUILDPACKS: build.buildpacks.join(',') } : {}),
        // The shared runtimes, read-only (runtime-layers.ts): a buildpack uses one from there
        // instead of downloading it and carrying it in the droplet and the build cache.
        WHARF_RUNTIMES_DIR: RUNTIMES_DIR,
      },
      volumes: [await this.layers.stagingVolume(runtime, build.stack)],
      labels,
      memoryBytes,
      memorySwapBytes: memoryBytes,
      pidsLimit: 4096,
      ulimits: [{ name: 'nofile', soft: fds, hard: fds }],
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
      ...(this.config.stagingNetwork ? { network: this.config.stagingNetwork } : {}),
    });
    try {
      await runtime.putArchive(
        id,
        '/tmp',
        tarOf(dirname(this.config.buildpacksDir), [basename(this.config.buildpacksDir)]),
      );
      await runtime.putArchive(id, '/tmp', tarOf(work, ['input']));
      log.out(`Cell ${cell.name} successfully created container for instance ${build.guid}`);
      log.out('Staging...');

      const { exitCode, timedOut, lastErr } = await this.runLifecycle(runtime, id, log);
      if (timedOut) return { error: STAGING_TIMEOUT_ERROR };
      if (exitCode !== 0) return { error: buildErrorForExit(exitCode, lastErr) };

      // Outputs: droplet.tgz, cache.tgz, staging_info.yml, release.yml, Procfile.
      const output = join(work, 'out');
      await mkdir(output);
      await pipeline(await runtime.getArchive(id, '/tmp/output'), extractTar({ cwd: output }));
      const out = (name: string) => join(output, 'output', name);
      const readOptional = (name: string) => readFile(out(name), 'utf8').catch(() => null);
      const stagingInfo = await readOptional('staging_info.yml');
      if (!stagingInfo) return { error: 'StagingError - Staging error: no staging_info.yml' };
      const result = readStagingResult({
        stagingInfo,
        release: await readOptional('release.yml'),
        procfile: await readOptional('Procfile'),
      });

      // The runtimes the droplet links to come from a layer it is built on, not from its tarball.
      const baseImage = await this.layers.baseImage(runtime, build.stack, result.runtimes, log);
      log.out('Uploading droplet, build artifacts cache...');
      const dropletGuid = randomUUID();
      // The image first: it is made from the tarball, which putFile moves into the store.
      const imageRef = await this.images.build(runtime, {
        dropletGuid,
        appGuid: build.appGuid,
        stack: build.stack,
        baseImage,
        dropletTarball: out('droplet.tgz'),
        launcher: join(this.config.buildpacksDir, 'lifecycle', 'launcher.sh'),
        labels: { 'wharf.managed': 'true', 'wharf.installation': this.config.installation },
      });
      const stored = await this.blobs.putFile(dropletBlobKey(dropletGuid), out('droplet.tgz'));
      log.out(`Uploaded droplet (${mb(stored.sizeBytes)})`);
      const cacheFile = out('cache.tgz');
      if (await stat(cacheFile).catch(() => null)) {
        const copy = join(work, 'cache.tgz');
        await copyFile(cacheFile, copy);
        const savedCache = await this.blobs.putFile(buildCacheBlobKey(build.appGuid), copy);
        log.out(`Uploaded build artifacts cache (${mb(savedCache.sizeBytes)})`);
      }
      await this.droplets.save(
        this.droplets.create({
          guid: dropletGuid,
          appGuid: build.appGuid,
          packageGuid: build.packageGuid,
          buildGuid: build.guid,
          state: 'STAGED',
          processTypes: result.processTypes,
          checksumSha256: stored.sha256,
          sizeBytes: String(stored.sizeBytes),
          buildpacks: result.buildpacks,
          stack: build.stack,
          image: imageRef,
          labels: {},
          annotations: {},
        }),
      );
      log.out('Uploading complete');
      log.out(`Cell ${cell.name} stopping instance ${build.guid}`);
      return { dropletGuid };
    } finally {
      await runtime.removeContainer(id, { force: true }).catch((err: Error) => {
        this.logger.warn(`staging container ${id} not removed: ${err.message}`);
      });
    }
  }

  /** Runs the lifecycle, streaming its lines; kills it at the staging time limit. */
  private async runLifecycle(
    runtime: ContainerRuntime,
    id: string,
    log: LogBatchWriter,
  ): Promise<{ exitCode: number; timedOut: boolean; lastErr: string }> {
    let timedOut = false;
    let lastErr = '';
    const timer = setTimeout(() => {
      timedOut = true;
      void runtime.killContainer(id).catch(() => undefined);
    }, STAGING_TIMEOUT_MS);
    try {
      await runtime.startContainer(id);
      for await (const line of runtime.containerLogs(id, { follow: true })) {
        if (line.stream === 'stderr') {
          lastErr = line.line || lastErr;
          log.err(line.line);
        } else {
          log.out(line.line);
        }
      }
      const exitCode = await runtime.waitContainer(id);
      return { exitCode, timedOut, lastErr };
    } finally {
      clearTimeout(timer);
    }
  }

  private async removeContainers(
    runtime: ContainerRuntime,
    labels: Record<string, string>,
  ): Promise<number> {
    const found = await runtime.listContainers({ labels, all: true });
    for (const c of found) await runtime.removeContainer(c.id, { force: true });
    return found.length;
  }
}
