import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { dropletImageRef } from '@wharf/contracts';
import type { ContainerRuntime } from '@wharf/platform/runtime';
import { RUNTIME_IMAGE_LABEL } from './runtime-layers';
import { tarOf } from './tar-stream';

/**
 * Turns a droplet tarball into an image based on the stack's run image, or on the runtime image
 * holding the runtimes the droplet links to (runtime-layers.ts): the droplet unpacked in
 * /home/vcap (owned by vcap, as staging made it) and the launcher in /lifecycle, one layer of
 * the app's own. Only what staging produced goes in: environment variables and service
 * credentials are given to each container when it is created, never stored in a layer.
 */
@Injectable()
export class DropletImageBuilder {
  async build(
    runtime: ContainerRuntime,
    input: {
      dropletGuid: string;
      appGuid: string;
      stack: string;
      /** `wharf/stack-run:<stack>` or a runtime image built on it. */
      baseImage: string;
      dropletTarball: string;
      launcher: string;
      labels: Record<string, string>;
    },
  ): Promise<string> {
    const ref = dropletImageRef(input.dropletGuid);
    const id = await runtime.createContainer({
      image: input.baseImage,
      cmd: ['true'],
      env: {},
      labels: { ...input.labels, 'wharf.role': 'droplet-image' },
    });
    try {
      await runtime.putArchive(id, '/home/vcap', createReadStream(input.dropletTarball));
      await runtime.putArchive(
        id,
        '/',
        tarOf(dirname(dirname(input.launcher)), [join('lifecycle', 'launcher.sh')]),
      );
      const [repo, tag] = ref.split(':') as [string, string];
      await runtime.commitContainer(id, {
        repo,
        tag,
        labels: {
          ...input.labels,
          'wharf.app_guid': input.appGuid,
          'wharf.droplet_guid': input.dropletGuid,
          'wharf.stack': input.stack,
          ...(input.baseImage.startsWith('wharf/runtime:')
            ? { [RUNTIME_IMAGE_LABEL]: input.baseImage.slice('wharf/runtime:'.length) }
            : {}),
        },
        changes: ['USER vcap', 'WORKDIR /home/vcap/app', 'ENV HOME=/home/vcap/app'],
      });
    } finally {
      await runtime.removeContainer(id, { force: true }).catch(() => undefined);
    }
    return ref;
  }
}
