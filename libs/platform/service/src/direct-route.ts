import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** What a direct route sees of a request: its headers (lower-case names) and its parsed JSON body. */
export interface DirectRequest {
  header(name: string): string | undefined;
  /** The parsed body; undefined when it was empty or not `application/json`. */
  body: unknown;
}

export interface DirectResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/**
 * A route answered by Node's HTTP server directly, before Express and Nest's pipeline: for the one hot
 * path a gateway calls before every provider call (the budget check), where the framework's routing,
 * body parsing and response helpers cost several times the decision itself (profiled: ~70% of the CPU
 * of a check). Everything else stays a Nest controller. Errors keep Nest's shape
 * (`{statusCode, message, error}`), so clients see one format whichever way a route is served.
 */
export interface DirectRoute {
  method: 'POST';
  path: string;
  maxBodyBytes: number;
  handle(request: DirectRequest): Promise<DirectResponse>;
}

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  500: 'Internal Server Error',
};

/** Nest's error body: `{statusCode, message, error}`. */
export function errorResponse(status: number, message: string | string[], headers?: Record<string, string>) {
  return {
    status,
    ...(headers ? { headers } : {}),
    body: { statusCode: status, message, error: REASONS[status] ?? 'Error' },
  };
}

/** Puts the direct routes in front of whatever already answers the server's requests (Express). */
export function mountDirectRoutes(server: Server, routes: readonly DirectRoute[]): void {
  if (routes.length === 0) return;
  const byPath = new Map(routes.map((route) => [route.path, route]));
  const framework = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const route = byPath.get(pathOf(request.url));
    if (route === undefined) {
      for (const listener of framework) listener(request, response);
      return;
    }
    if (request.method !== route.method) {
      send(
        response,
        errorResponse(405, `${request.method ?? '?'} is not allowed here: use ${route.method}`, {
          allow: route.method,
        }),
      );
      return;
    }
    answer(route, request, response);
  });
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

function answer(route: DirectRoute, request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > route.maxBodyBytes && !refused) {
      refused = true;
      send(
        response,
        errorResponse(413, `the body is larger than ${route.maxBodyBytes} bytes`, { connection: 'close' }),
      );
    }
    if (!refused) chunks.push(chunk);
  });
  request.on('end', () => {
    if (refused) return;
    const parsed = parseJson(request, chunks);
    if ('error' in parsed) {
      send(response, errorResponse(400, parsed.error));
      return;
    }
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    route.handle({ header, body: parsed.body }).then(
      (result) => send(response, result),
      () => send(response, errorResponse(500, 'the request could not be answered')),
    );
  });
}

function parseJson(request: IncomingMessage, chunks: Buffer[]): { body: unknown } | { error: string } {
  if (chunks.length === 0 || !/^application\/(.+\+)?json\b/i.test(request.headers['content-type'] ?? ''))
    return { body: undefined };
  try {
    return { body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch (error) {
    return { error: `the body is not valid JSON: ${(error as Error).message}` };
  }
}

function send(response: ServerResponse, result: DirectResponse): void {
  const payload = JSON.stringify(result.body);
  response.writeHead(result.status, {
    ...result.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}
