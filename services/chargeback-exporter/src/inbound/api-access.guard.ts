import { timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';

/** The parts of the HTTP request the finance API reads (Express underneath). */
export interface ApiRequest {
  headers: { authorization?: string };
  caller?: Caller;
  res?: { type(contentType: string): unknown; setHeader(name: string, value: string): unknown };
}

export interface ApiToken {
  token: string;
  role: 'finance' | 'team';
  team: string | null;
}
export const API_TOKENS = Symbol('API_TOKENS');

/** Who is asking: finance sees every team, a team token only its own. */
export interface Caller {
  role: 'finance' | 'team';
  team: string | null;
}

/** Bearer token -> caller, compared in constant time. 401 without a known token. */
@Injectable()
export class ApiAccessGuard implements CanActivate {
  constructor(@Inject(API_TOKENS) private readonly tokens: readonly ApiToken[]) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<ApiRequest>();
    const given = Buffer.from(/^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
    const match = this.tokens.find((candidate) => {
      const expected = Buffer.from(candidate.token);
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!match)
      throw new UnauthorizedException('a valid API token is required (Authorization: Bearer <token>)');
    request.caller = { role: match.role, team: match.team };
    return true;
  }
}

/** The team a caller may read: finance any (or all when none asked), a team token only its own (403). */
export function teamScope(caller: Caller, requested: string | undefined): string | undefined {
  if (caller.role === 'finance') return requested;
  if (requested !== undefined && requested !== caller.team)
    throw new ForbiddenException(`this token may only read team ${caller.team}`);
  return caller.team ?? undefined;
}
