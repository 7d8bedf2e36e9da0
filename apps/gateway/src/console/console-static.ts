import fastifyStatic from '@fastify/static';
import { INestApplication, Logger } from '@nestjs/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { routerRefusal } from '../http/http-pipeline';
import { sendProblem } from '../http/problem.filter';

const logger = new Logger('Console');

/**
 * The policy the console's pages live under (decision D3): scripts, styles, fonts and calls
 * only from this origin, inline styles allowed (the component library sets style attributes),
 * images from here or data: URLs (the TOTP QR code), never framed.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Where `node tools/prepare.js` writes the built console: dist/console, beside dist/apps. */
export function consoleDirectory(): string {
  // Compiled to dist/apps/gateway/src/console/: four levels up is dist/.
  return resolve(__dirname, '..', '..', '..', '..', 'console');
}

/** Paths the console never answers: the API, its documentation and the queue dashboard keep their own 404. */
function belongsToServer(url: string): boolean {
  const path = url.split('?')[0];
  return path === '/api' || path.startsWith('/api/') || path === '/admin' || path.startsWith('/admin/');
}

/**
 * Serves the web console at `/`: the hashed assets built by Vite (pre-compressed .gz files
 * when the browser accepts them, cached for a year since their names change with their
 * content), and index.html for every other path outside /api and /admin, so that the
 * single-page application's own routes (/users/…, /approvals) survive a reload.
 */
export async function mountConsole(app: INestApplication, directory = consoleDirectory()): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const built = existsSync(join(directory, 'index.html'));
  if (!built) logger.warn({ msg: 'the web console is not built: run `node tools/prepare.js`', directory });

  await fastify.register(async (scope) => {
    scope.addHook('onSend', async (_req, reply, payload) => {
      void reply.header('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY);
      void reply.header('X-Content-Type-Options', 'nosniff');
      void reply.header('Referrer-Policy', 'no-referrer');
      return payload;
    });
    if (built) {
      await scope.register(fastifyStatic, {
        root: directory,
        prefix: '/',
        wildcard: false,
        index: false,
        preCompressed: true,
        maxAge: '365d',
        immutable: true,
        globIgnore: ['**/index.html*', '**/*.gz', '**/*.br'],
      });
    }
    const page = (req: FastifyRequest, reply: FastifyReply) => {
      if (belongsToServer(req.url)) {
        // An API path whose parameter is longer than the router takes falls through to this
        // catch-all instead of the router's refusal: answer what the router would have (414).
        const maxParamLength = fastify.initialConfig.maxParamLength ?? 100;
        if (
          req.url
            .split('?')[0]
            .split('/')
            .some((segment) => segment.length > maxParamLength)
        )
          return sendProblem(reply, req, routerRefusal({ code: 'FST_ERR_MAX_PARAM_LENGTH' } as FastifyError));
        return reply.callNotFound();
      }
      if (!built)
        return reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('The web console is not built on this server: run `node tools/prepare.js`, then restart the gateway.');
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html', { cacheControl: false });
    };
    scope.get('/', page);
    scope.get('/*', page);
  });
}
