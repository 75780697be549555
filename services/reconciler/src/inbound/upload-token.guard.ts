import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { BearerTokens } from '@tokentally/platform-service';

export const UPLOAD_TOKENS = Symbol('UPLOAD_TOKENS');

/** A bearer token of RECONCILE_UPLOAD_TOKENS (the shared constant-time matcher); 401 otherwise. */
@Injectable()
export class UploadTokenGuard implements CanActivate {
  constructor(@Inject(UPLOAD_TOKENS) private readonly tokens: BearerTokens<true>) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: { authorization?: string } }>();
    if (this.tokens.match(request.headers.authorization) === undefined)
      throw new UnauthorizedException('a reconciler token is required (Authorization: Bearer <token>)');
    return true;
  }
}
