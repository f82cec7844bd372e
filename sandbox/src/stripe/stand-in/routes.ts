import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface StandInContext {
  /** Publishable key the stand-in accepts (`Stripe(pk)` must be called with it). */
  publishableKey: string;
}

/** Where js.stripe.com serves Stripe.js; the emulator serves the stand-in at the same path. */
export const STAND_IN_PATH = '/v3/';

const CONFIG_MARKER = '/*@stand-in-config*/ null';
/** The browser modules (CommonJS, so eslint and `checkJs` see real imports); the entry comes last. */
const MODULES = ['wire', 'form', 'dom', 'payment-element', 'wallet-sheet', 'express-checkout', 'stripe'];

/** From `dist/` (tsc does not copy .js files) the modules are read from the sources. */
function browserDir(): string {
  const candidates = [path.join(__dirname, 'browser'), path.resolve(__dirname, '../../../src/stripe/stand-in/browser')];
  const dir = candidates.find((candidate) => existsSync(path.join(candidate, 'stripe.js')));
  if (!dir) throw new Error(`Stripe.js stand-in not found (looked in ${candidates.join(', ')})`);
  return dir;
}

/**
 * Joins the modules into one classic script with a minimal `require`. A classic script, not an ES
 * module: it must define `window.Stripe` before the page's next script runs, as js.stripe.com/v3 does.
 */
export function bundleStandIn(dir = browserDir()): string {
  const defs = MODULES.map((name) => {
    const source = readFileSync(path.join(dir, `${name}.js`), 'utf8');
    return `${JSON.stringify(`./${name}`)}: function (module, require) {\n${source}\n}`;
  });
  const script = `/* Stripe.js stand-in of the sandbox's Stripe emulator. Not Stripe.js. */
(function () {
  'use strict';
  var defs = {\n${defs.join(',\n')}\n};
  var cache = {};
  function load(name) {
    if (!cache[name]) {
      cache[name] = { exports: {} };
      defs[name](cache[name], load);
    }
    return cache[name].exports;
  }
  load('./stripe');
})();
`;
  if (!script.includes(CONFIG_MARKER)) throw new Error(`Stripe.js stand-in lacks its config marker (${dir})`);
  return script;
}

/**
 * Registers `GET /v3/` (and `/v3`): the Stripe.js stand-in. A page loads it with
 * `<script src="http://127.0.0.1:12111/v3/"></script>` before anything that uses Stripe.js.
 */
export function registerStandIn(app: FastifyInstance, ctx: StandInContext): void {
  const source = bundleStandIn();
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    // Fallback base URL for when the script cannot see its own <script src> (e.g. injected by eval).
    const config = JSON.stringify({
      publishableKey: ctx.publishableKey,
      origin: `${request.protocol}://${request.host}`,
    });
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      // Pages with Cross-Origin-Embedder-Policy may load it from another port.
      .header('cross-origin-resource-policy', 'cross-origin');
    if (!reply.hasHeader('access-control-allow-origin')) reply.header('access-control-allow-origin', '*');
    return source.replace(CONFIG_MARKER, config);
  };
  app.get('/v3', serve);
  app.get(STAND_IN_PATH, serve);
}
