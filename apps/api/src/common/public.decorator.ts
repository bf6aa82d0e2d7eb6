import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'wharf:public';

/** Marks a route that needs no bearer token (root links, health, token endpoint, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
