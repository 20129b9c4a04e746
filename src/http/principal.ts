import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ApiKeyRole } from '../tenants/customer';

/** The caller, resolved from its bearer key by the auth guard. */
export interface Principal {
  keyId: string;
  customerId: string;
  role: ApiKeyRole;
}

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const ROLES_KEY = 'switchboard:roles';
export const PUBLIC_KEY = 'switchboard:public';

/** Roles allowed on a controller or route; every route that is not `@Public()` needs one. */
export const Roles = (...roles: ApiKeyRole[]) => SetMetadata(ROLES_KEY, roles);

/** No key needed (health checks). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});
