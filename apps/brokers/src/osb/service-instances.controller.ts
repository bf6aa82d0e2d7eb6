import { Body, Controller, Delete, Get, Param, Patch, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InstanceDeprovisionAction } from '../actions/instance-deprovision.action';
import { InstanceProvisionAction } from '../actions/instance-provision.action';
import { InstanceUpdateAction } from '../actions/instance-update.action';
import { BrokerQueryService } from '../actions/broker-query.service';
import {
  acceptsIncomplete,
  deleteQuery,
  parseRequest,
  provisionBody,
  updateBody,
} from './osb-requests';

/** How long a platform should wait between two polls of an operation in progress (seconds). */
const RETRY_AFTER = '2';

@Controller('v2/service_instances/:instance_id')
export class ServiceInstancesController {
  constructor(
    private readonly provision: InstanceProvisionAction,
    private readonly update: InstanceUpdateAction,
    private readonly deprovision: InstanceDeprovisionAction,
    private readonly query: BrokerQueryService,
  ) {}

  @Put()
  async put(
    @Param('instance_id') instanceId: string,
    @Query('accepts_incomplete') incomplete: unknown,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const outcome = await this.provision.execute({
      instanceId,
      body: parseRequest(provisionBody, body, 'provision request'),
      acceptsIncomplete: acceptsIncomplete(incomplete),
    });
    res.status(outcome.status);
    return outcome.status === 202 && outcome.operation ? { operation: outcome.operation } : {};
  }

  @Patch()
  async patch(
    @Param('instance_id') instanceId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, never>> {
    await this.update.execute({
      instanceId,
      body: parseRequest(updateBody, body, 'update request'),
    });
    res.status(200);
    return {};
  }

  @Delete()
  async delete(
    @Param('instance_id') instanceId: string,
    @Query() query: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, never>> {
    await this.deprovision.execute({
      instanceId,
      query: parseRequest(deleteQuery, query, 'query'),
    });
    res.status(200);
    return {};
  }

  @Get()
  async fetch(@Param('instance_id') instanceId: string): Promise<Record<string, unknown>> {
    const instance = await this.query.instance(instanceId);
    return {
      service_id: instance.serviceId,
      plan_id: instance.planId,
      parameters: instance.parameters,
    };
  }

  @Get('last_operation')
  async lastOperation(
    @Param('instance_id') instanceId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const instance = await this.query.lastOperation(instanceId);
    if (instance.state === 'in progress') res.setHeader('Retry-After', RETRY_AFTER);
    return {
      state: instance.state,
      ...(instance.description ? { description: instance.description } : {}),
    };
  }
}
