/**
 * The edge entry: assignment plus the Fetch API adapters (Cloudflare Workers, Vercel Edge and Next.js
 * middleware, Deno, Bun, Netlify Edge, Lambda@Edge), with no Node built-ins and no statistics (jstat). Every
 * export is a named, side-effect-free binding, so a worker carries only what it imports.
 *
 * @module
 */
export * from './assignment/index'
export * from './adapters/web'
export * from './adapters/cloudflare'
export * from './adapters/vercel'
export * from './adapters/deno'
export * from './adapters/bun'
export * from './adapters/netlify'
export * from './adapters/lambda-edge'
export * from './adapters/sticky'
export * from './adapters/edgeWorker'
export * from './adapters/features'
