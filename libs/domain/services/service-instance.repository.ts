import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { ServiceCredentialBindingEntity } from './service-credential-binding.entity';
import { ServiceInstanceEntity } from './service-instance.entity';

export interface InstanceFilter {
  spaceGuids: 'all' | string[];
  names?: string[];
  guids?: string[];
  type?: string;
}

export interface BindingFilter {
  spaceGuids: 'all' | string[];
  appGuids?: string[];
  serviceInstanceGuids?: string[];
  names?: string[];
  type?: string;
}

/** Service instances and their credential bindings. */
@Injectable()
export class ServiceInstanceRepository {
  constructor(
    @InjectRepository(ServiceInstanceEntity)
    private readonly instances: Repository<ServiceInstanceEntity>,
    @InjectRepository(ServiceCredentialBindingEntity)
    private readonly bindings: Repository<ServiceCredentialBindingEntity>,
    private readonly dataSource: DataSource,
  ) {}

  listPage(f: InstanceFilter, page: PageRequest): Promise<Page<ServiceInstanceEntity>> {
    if (f.spaceGuids !== 'all' && f.spaceGuids.length === 0)
      return findPage(this.instances, [], page);
    return findPage(
      this.instances,
      [
        {
          ...(f.names ? { name: In(f.names) } : {}),
          ...(f.guids ? { guid: In(f.guids) } : {}),
          ...(f.type ? { type: f.type as ServiceInstanceEntity['type'] } : {}),
          ...(f.spaceGuids !== 'all' ? { spaceGuid: In(f.spaceGuids) } : {}),
        },
      ],
      page,
    );
  }

  findKeyByName(
    serviceInstanceGuid: string,
    name: string,
  ): Promise<ServiceCredentialBindingEntity | null> {
    return this.bindings.findOneBy({ serviceInstanceGuid, name, type: 'key' });
  }

  findByGuid(guid: string): Promise<ServiceInstanceEntity | null> {
    return this.instances.findOneBy({ guid });
  }

  findByGuids(guids: string[]): Promise<ServiceInstanceEntity[]> {
    return guids.length ? this.instances.findBy({ guid: In(guids) }) : Promise.resolve([]);
  }

  /** Managed instances in the spaces: what CF counts against total_service_instances. */
  countManagedInSpaces(spaceGuids: string[]): Promise<number> {
    if (spaceGuids.length === 0) return Promise.resolve(0);
    return this.instances.countBy({ spaceGuid: In(spaceGuids), type: 'managed' });
  }

  findByName(spaceGuid: string, name: string): Promise<ServiceInstanceEntity | null> {
    return this.instances.findOneBy({ spaceGuid, name });
  }

  /** With `manager`, in that transaction. */
  save(
    fields: Partial<ServiceInstanceEntity>,
    manager?: EntityManager,
  ): Promise<ServiceInstanceEntity> {
    const repo = manager?.getRepository(ServiceInstanceEntity) ?? this.instances;
    return repo.save(repo.create(fields));
  }

  /**
   * Sets only these columns (a job's step must not overwrite what a request changed meanwhile).
   * With `manager`, in that transaction.
   */
  async updateInstance(
    guid: string,
    fields: QueryDeepPartialEntity<ServiceInstanceEntity>,
    manager?: EntityManager,
  ): Promise<void> {
    await (manager?.getRepository(ServiceInstanceEntity) ?? this.instances).update(
      { guid },
      fields,
    );
  }

  /** With `manager`, in that transaction. */
  async updateBinding(
    guid: string,
    fields: QueryDeepPartialEntity<ServiceCredentialBindingEntity>,
    manager?: EntityManager,
  ): Promise<void> {
    await (manager?.getRepository(ServiceCredentialBindingEntity) ?? this.bindings).update(
      { guid },
      fields,
    );
  }

  /** The instance and its bindings, in one transaction (with `manager`, in that one). */
  async delete(guid: string, manager?: EntityManager): Promise<void> {
    const work = async (m: EntityManager) => {
      await m.delete(ServiceCredentialBindingEntity, { serviceInstanceGuid: guid });
      await m.delete(ServiceInstanceEntity, { guid });
    };
    await (manager ? work(manager) : this.dataSource.transaction(work));
  }

  async listBindingsPage(
    f: BindingFilter,
    page: PageRequest,
  ): Promise<Page<ServiceCredentialBindingEntity>> {
    let instanceGuids = f.serviceInstanceGuids;
    if (f.spaceGuids !== 'all') {
      const visible = await this.instances.find({
        select: { guid: true },
        where: { spaceGuid: In(f.spaceGuids) },
      });
      const guids = visible.map((i) => i.guid);
      instanceGuids = instanceGuids ? instanceGuids.filter((g) => guids.includes(g)) : guids;
      if (instanceGuids.length === 0) return findPage(this.bindings, [], page);
    }
    return findPage(
      this.bindings,
      [
        {
          ...(instanceGuids ? { serviceInstanceGuid: In(instanceGuids) } : {}),
          ...(f.appGuids ? { appGuid: In(f.appGuids) } : {}),
          ...(f.names ? { name: In(f.names) } : {}),
          ...(f.type ? { type: f.type as ServiceCredentialBindingEntity['type'] } : {}),
        },
      ],
      page,
    );
  }

  findBinding(guid: string): Promise<ServiceCredentialBindingEntity | null> {
    return this.bindings.findOneBy({ guid });
  }

  findAppBinding(
    serviceInstanceGuid: string,
    appGuid: string,
  ): Promise<ServiceCredentialBindingEntity | null> {
    return this.bindings.findOneBy({ serviceInstanceGuid, appGuid });
  }

  bindingsOfApp(appGuid: string): Promise<ServiceCredentialBindingEntity[]> {
    return this.bindings.find({ where: { appGuid }, order: { createdAt: 'ASC' } });
  }

  countBindings(serviceInstanceGuid: string): Promise<number> {
    return this.bindings.countBy({ serviceInstanceGuid });
  }

  /** With `manager`, in that transaction. */
  saveBinding(
    fields: Partial<ServiceCredentialBindingEntity>,
    manager?: EntityManager,
  ): Promise<ServiceCredentialBindingEntity> {
    const repo = manager?.getRepository(ServiceCredentialBindingEntity) ?? this.bindings;
    return repo.save(repo.create(fields));
  }

  /** With `manager`, in that transaction. */
  async deleteBinding(guid: string, manager?: EntityManager): Promise<void> {
    await (manager?.getRepository(ServiceCredentialBindingEntity) ?? this.bindings).delete({
      guid,
    });
  }

  async deleteBindingsOfApp(appGuid: string): Promise<void> {
    await this.bindings.delete({ appGuid });
  }
}
