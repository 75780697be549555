import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { BearerTokens } from '@tokentally/platform-service';

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

/** Bearer token -> caller, with the platform's constant-time matcher. 401 without a known token. */
@Injectable()
export class ApiAccessGuard implements CanActivate {
  private readonly tokens: BearerTokens<Caller>;

  constructor(@Inject(API_TOKENS) tokens: readonly ApiToken[]) {
    this.tokens = new BearerTokens(tokens.map(({ token, role, team }) => ({ token, scope: { role, team } })));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<ApiRequest>();
    const caller = this.tokens.match(request.headers.authorization);
    if (!caller)
      throw new UnauthorizedException('a valid API token is required (Authorization: Bearer <token>)');
    request.caller = caller;
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
