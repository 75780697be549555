import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';

/** The console's static files: beside src/ in the repository, copied beside the code by `npm run build`. */
export const CONSOLE_DIR = path.resolve(__dirname, '../../console');
/** uPlot's browser build (npm `uplot`), served under /console/ too: no CDN; `npm run build` copies it into dist/. */
export const UPLOT_DIR = path.resolve(__dirname, '../../../../node_modules/uplot/dist');
export const VENDOR_FILES = ['uPlot.iife.min.js', 'uPlot.min.css'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

// the console's own files only: no inline script or style, no other origin, never framed
const CSP =
  "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

interface StaticResponse {
  setHeader(name: string, value: string): unknown;
  send(body: Buffer): unknown;
}

/**
 * Serves the web console under /console/: a login page, then pages that call the same JSON routes as
 * any API client with the token kept in sessionStorage. No token is needed for the files themselves
 * (they hold no data); every number comes from a guarded route. Only the files present at start-up
 * are served, by name: no path from a request ever reaches the file system.
 */
@Controller('console')
export class ConsoleController {
  private readonly files = new Map<string, { type: string; body: Buffer }>([
    ...readdirSync(CONSOLE_DIR)
      .filter((name) => TYPES[path.extname(name)] !== undefined)
      .map((name) => [name, ConsoleController.load(CONSOLE_DIR, name)] as const),
    ...VENDOR_FILES.map((name) => [name, ConsoleController.load(UPLOT_DIR, name)] as const),
  ]);

  private static load(dir: string, name: string): { type: string; body: Buffer } {
    return { type: TYPES[path.extname(name)] ?? '', body: readFileSync(path.join(dir, name)) };
  }

  @Get()
  @Header('cache-control', 'no-cache')
  @Header('x-content-type-options', 'nosniff')
  @Header('content-security-policy', CSP)
  index(@Res() response: StaticResponse): void {
    this.file('index.html', response);
  }

  @Get(':file')
  @Header('cache-control', 'no-cache')
  @Header('x-content-type-options', 'nosniff')
  @Header('content-security-policy', CSP)
  file(@Param('file') name: string, @Res() response: StaticResponse): void {
    const file = this.files.get(name);
    if (!file) throw new NotFoundException(`no console file "${name}"`);
    response.setHeader('content-type', file.type);
    response.send(file.body);
  }
}
