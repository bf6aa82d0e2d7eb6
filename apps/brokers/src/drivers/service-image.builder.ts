import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { create as createTar } from 'tar';
import { WHARF_CONFIG, type WharfConfig } from '@wharf/platform/config';
import { CONTAINER_RUNTIME, type ContainerRuntime } from '@wharf/platform/runtime';

/**
 * The image of a container service (`wharf/service-<name>:<stack>`), built by the platform itself:
 * FROM the stack's run image (Debian, debootstrapped by scripts/stack-images.sh) plus Debian's
 * package of the service, never pulled from a registry. It is labelled with a digest of its
 * Dockerfile and of the run image it was built on, and rebuilt when either changes.
 */
@Injectable()
export class ServiceImageBuilder {
  private readonly logger = new Logger('ServiceImages');
  private readonly building = new Map<string, Promise<string>>();

  constructor(
    @Inject(CONTAINER_RUNTIME) private readonly runtime: ContainerRuntime,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  /** The image reference, built first when missing or stale; one build per image at a time. */
  ensure(name: string, dockerfileBody: string): Promise<string> {
    const running = this.building.get(name);
    if (running) return running;
    const build = this.build(name, dockerfileBody).finally(() => this.building.delete(name));
    this.building.set(name, build);
    return build;
  }

  private async build(name: string, dockerfileBody: string): Promise<string> {
    const base = `wharf/stack-run:${this.config.stack}`;
    const baseImage = await this.runtime.inspectImage(base);
    if (!baseImage)
      throw new Error(`the stack image ${base} is missing: run scripts/stack-images.sh run`);
    const dockerfile = `FROM ${base}\n${dockerfileBody}`;
    const definition = createHash('sha256').update(`${baseImage.id}\n${dockerfile}`).digest('hex');
    const tag = `wharf/service-${name}:${this.config.stack}`;
    const current = await this.runtime.inspectImage(tag);
    if (current?.labels['wharf.service.definition'] === definition) return tag;
    this.logger.log(`building ${tag} from ${base} and Debian packages`);
    const dir = mkdtempSync(join(tmpdir(), 'wharf-service-image-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), dockerfile);
      const context = Readable.from(createTar({ cwd: dir, portable: true }, ['Dockerfile']), {
        objectMode: false,
      });
      await this.runtime.buildImage(context, {
        tag,
        labels: { 'wharf.service.definition': definition, 'wharf.service.image': name },
        // apt-get needs the internet: the staging network has it, and nothing of the platform.
        ...(this.config.stagingNetwork ? { network: this.config.stagingNetwork } : {}),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return tag;
  }
}
