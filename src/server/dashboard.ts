// The dashboard (src/ui, built by `npm run build:ui` into dist/ui) served at / by the CSMS itself. The page
// talks only to this server's REST API and live feed; its Content-Security-Policy holds it to that.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const DASHBOARD_DIR = fileURLToPath(new URL('../../dist/ui', import.meta.url));

/** Same origin only: no CDN, font or script from anywhere else can load. uPlot sets inline styles, hence 'unsafe-inline' for styles. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'";

export async function registerDashboard(app: FastifyInstance, dir = DASHBOARD_DIR): Promise<void> {
  if (!existsSync(`${dir}/index.html`)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.code(503).type('text/plain').send('The dashboard is not built: run `npm run build:ui` (npm start does it first).\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: 'index.html',
    // A route per built file, found at start: no catch-all, so unknown paths under /api keep the API's 404.
    wildcard: false,
    // Asset names carry a content hash: cached for good. The page itself is always revalidated.
    setHeaders(res, path) {
      res.header('content-security-policy', CONTENT_SECURITY_POLICY);
      res.header('x-content-type-options', 'nosniff');
      res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
    cacheControl: false,
  });
}
