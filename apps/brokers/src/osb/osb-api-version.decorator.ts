import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import type { OsbVersion } from './osb-version';

/** The caller's API version, read by the version middleware before any handler runs. */
export const OsbApiVersion = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const res = ctx.switchToHttp().getResponse<Response>();
  return (res.locals as { osbVersion: OsbVersion }).osbVersion;
});
