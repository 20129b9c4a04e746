import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { type AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY } from '../../http/principal';
import { MIN_POSITION_HEADER, parseMinPosition } from '../../http/reads-from.decorator';
import { hashApiKey } from '../api-key';
import type { ApiKeyRole } from '../customer';
import { TenantDirectory } from '../tenant-directory/tenant-directory';
import { TENANT_DIRECTORY } from '../tenant-directory/tenant-directory.projection';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Every route needs a bearer key unless marked `@Public()`: missing or unknown key 401, wrong role 403.
 * A route without `@Roles` is closed to everyone, so a forgotten decorator fails safe.
 */
@Injectable()
export class ApiKeyAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly directory: TenantDirectory,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    // Keys are read-your-writes too: a key issued (or revoked) through another instance counts once the
    // client shows that write's position, and one whose write here outran the directory waits for it.
    await this.readYourWrites.ensureFresh(
      [TENANT_DIRECTORY],
      parseMinPosition(request.headers[MIN_POSITION_HEADER]),
    );
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    const key = match ? this.directory.activeKeyByHash(hashApiKey(match[1])) : null;
    if (!key) {
      http.getResponse<FastifyReply>().header('www-authenticate', 'Bearer');
      throw new UnauthorizedException(match ? 'Unknown or revoked API key' : 'Missing bearer API key');
    }
    request.principal = { keyId: key.keyId, customerId: key.customerId, role: key.role };

    const roles = this.reflector.getAllAndOverride<ApiKeyRole[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!roles.includes(key.role)) {
      throw new ForbiddenException(`This route needs a key with role ${roles.join(' or ') || '(none)'}`);
    }
    return true;
  }
}
