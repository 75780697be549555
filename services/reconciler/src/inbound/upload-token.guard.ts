import { timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';

export const UPLOAD_TOKENS = Symbol('UPLOAD_TOKENS');

/** Bearer token of RECONCILE_UPLOAD_TOKENS, compared in constant time; 401 otherwise (none set: all refused). */
@Injectable()
export class UploadTokenGuard implements CanActivate {
  constructor(@Inject(UPLOAD_TOKENS) private readonly tokens: readonly string[]) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: { authorization?: string } }>();
    const given = Buffer.from(/^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
    const known = this.tokens.some((token) => {
      const expected = Buffer.from(token);
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!known)
      throw new UnauthorizedException('a reconciler token is required (Authorization: Bearer <token>)');
    return true;
  }
}
