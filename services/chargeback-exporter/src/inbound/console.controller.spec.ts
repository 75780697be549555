import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NotFoundException } from '@nestjs/common';
import { CONSOLE_DIR, ConsoleController, UPLOT_DIR } from './console.controller';

function served(controller: ConsoleController, name: string): { type: string; body: string } {
  const headers: Record<string, string> = {};
  let body = '';
  controller.file(name, {
    setHeader: (header: string, value: string) => (headers[header] = value),
    send: (buffer: Buffer) => (body = buffer.toString('utf8')),
  });
  return { type: headers['content-type'] ?? '', body };
}

describe('the console static files', () => {
  const controller = new ConsoleController();

  it('serves every file a page loads (index.html links, module imports), with its type', () => {
    const index = readFileSync(path.join(CONSOLE_DIR, 'index.html'), 'utf8');
    const linked = [...index.matchAll(/(?:href|src)="\/console\/([^"]+)"/g)].map((m) => m[1] ?? '');
    const imported = readdirSync(CONSOLE_DIR)
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) =>
        [...readFileSync(path.join(CONSOLE_DIR, f), 'utf8').matchAll(/from '\.\/([^']+)'/g)].map(
          (m) => m[1] ?? '',
        ),
      );
    expect(linked).toEqual(['uPlot.min.css', 'console.css', 'uPlot.iife.min.js', 'app.js']);
    expect(imported.length).toBeGreaterThan(10);
    for (const name of new Set([...linked, ...imported]))
      expect([name, served(controller, name).type]).toEqual([
        name,
        name.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
      ]);
    expect(served(controller, 'index.html').body).toContain('<script type="module" src="/console/app.js">');
  });

  it("serves uPlot's browser build byte for byte from the installed package (no CDN)", () => {
    const script = served(controller, 'uPlot.iife.min.js');
    expect(script.body).toBe(readFileSync(path.join(UPLOT_DIR, 'uPlot.iife.min.js'), 'utf8'));
    expect(script.body).toMatch(/var uPlot\s*=/);
    expect(served(controller, 'uPlot.min.css').type).toBe('text/css; charset=utf-8');
    const pkg = JSON.parse(readFileSync(path.join(UPLOT_DIR, '../package.json'), 'utf8')) as {
      version: string;
    };
    expect(pkg.version).toBe('1.6.32');
  });

  it('serves nothing but its own files, by name: no path reaches the file system', () => {
    for (const name of ['../src/main.ts', '..%2Fsrc%2Fmain.ts', 'config.ts', '.', '', 'index.html/'])
      expect(() => served(controller, name)).toThrow(NotFoundException);
  });

  it('has no inline script or style the Content-Security-Policy would block', () => {
    const index = readFileSync(path.join(CONSOLE_DIR, 'index.html'), 'utf8');
    expect(index).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle="|\son\w+="/);
    for (const f of readdirSync(CONSOLE_DIR).filter((name) => name.endsWith('.js')))
      expect([
        f,
        /innerHTML|insertAdjacentHTML|\.style\s*=|setAttribute\('style'/.test(
          readFileSync(path.join(CONSOLE_DIR, f), 'utf8'),
        ),
      ]).toEqual([f, false]);
  });
});
