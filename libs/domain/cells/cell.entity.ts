import { Column, Entity } from 'typeorm';
import { GuidEntity } from '@wharf/platform/db';
import type { EngineTls } from '@wharf/platform/runtime';
import { sealedJson } from '@wharf/platform/secrets';

/** A Docker host that runs staging and app containers. */
@Entity('cells')
export class CellEntity extends GuidEntity {
  @Column({ type: 'text', unique: true })
  name!: string;

  /** unix:///var/run/docker.sock or tcp://host:port */
  @Column({ name: 'docker_endpoint', type: 'text' })
  dockerEndpoint!: string;

  /**
   * CA, client certificate and key for a `tcp://` engine started with `--tlsverify`; null for a
   * unix socket or a loopback port. Sealed at rest: the key opens root on the cell's host.
   */
  @Column({
    name: 'docker_tls',
    type: 'text',
    nullable: true,
    transformer: sealedJson<EngineTls>(),
  })
  dockerTls!: EngineTls | null;

  @Column({ name: 'memory_capacity_mb', type: 'integer' })
  memoryCapacityMb!: number;

  @Column({ name: 'disk_capacity_mb', type: 'integer' })
  diskCapacityMb!: number;

  @Column({ name: 'max_containers', type: 'integer', default: 250 })
  maxContainers!: number;

  /** Disabled cells get no new placements; their instances keep running. */
  @Column({ type: 'boolean', default: true })
  enabled!: boolean;
}
