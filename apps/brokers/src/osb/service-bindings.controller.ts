import { Body, Controller, Delete, Get, Param, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { BindingCreateAction, endpointsOf } from '../actions/binding-create.action';
import { BindingDeleteAction } from '../actions/binding-delete.action';
import { BrokerQueryService } from '../actions/broker-query.service';
import { OsbApiVersion } from './osb-api-version.decorator';
import { bindBody, deleteQuery, parseRequest } from './osb-requests';
import { speaks, type OsbVersion } from './osb-version';

@Controller('v2/service_instances/:instance_id/service_bindings/:binding_id')
export class ServiceBindingsController {
  constructor(
    private readonly create: BindingCreateAction,
    private readonly remove: BindingDeleteAction,
    private readonly query: BrokerQueryService,
  ) {}

  @Put()
  async put(
    @Param('instance_id') instanceId: string,
    @Param('binding_id') bindingId: string,
    @Body() body: unknown,
    @OsbApiVersion() version: OsbVersion,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const outcome = await this.create.execute({
      instanceId,
      bindingId,
      body: parseRequest(bindBody, body, 'bind request'),
    });
    res.status(outcome.status);
    return {
      credentials: outcome.binding.credentials,
      // OSB 2.15 added `endpoints`; older callers get only what they know.
      ...(speaks(version, 15) ? { endpoints: outcome.endpoints } : {}),
    };
  }

  @Delete()
  async delete(
    @Param('instance_id') instanceId: string,
    @Param('binding_id') bindingId: string,
    @Query() query: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, never>> {
    await this.remove.execute({
      instanceId,
      bindingId,
      query: parseRequest(deleteQuery, query, 'query'),
    });
    res.status(200);
    return {};
  }

  @Get()
  async fetch(
    @Param('instance_id') instanceId: string,
    @Param('binding_id') bindingId: string,
    @OsbApiVersion() version: OsbVersion,
  ): Promise<Record<string, unknown>> {
    const binding = await this.query.binding(instanceId, bindingId);
    return {
      credentials: binding.credentials,
      parameters: binding.parameters,
      ...(speaks(version, 15) ? { endpoints: endpointsOf(binding) } : {}),
    };
  }
}
