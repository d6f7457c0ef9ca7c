/**
 * The edge entry: assignment only, with no Node built-ins and no statistics (jstat), for Cloudflare Workers,
 * Vercel Edge, Deno, Bun and browsers.
 *
 * @module
 */
export * from './assignment/index'
