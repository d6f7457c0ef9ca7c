/**
 * Netlify Edge Functions: `export default netlifyEdge(options)`; the page is fetched with `context.next()`.
 *
 * @module
 */
import { touchpoint, type Decision, type Options } from './web'

/**
 * The part of Netlify's edge `Context` the adapter uses.
 *
 * @category netlify
 * @since 0.1.0
 */
export interface NetlifyContext {
  next(request?: Request): Promise<Response>
  waitUntil?(promise: Promise<unknown>): void
}

/**
 * A Netlify Edge Function. The default handler continues to the site with the forwarded request
 * (`context.next(request)`); pass one to answer or rewrite at the edge.
 *
 * @example
 * export default netlifyEdge({ config: urlConfig('https://cdn.example.com/experiments.compiled.json') })
 * export const config = { path: '/*' }
 *
 * @category netlify
 * @since 0.1.0
 */
export const netlifyEdge = <Env = undefined>(
  options: Options<Env>,
  handler: (request: Request, decision: Decision, context: NetlifyContext) => Response | Promise<Response> = (request, _, context) =>
    typeof context?.next === 'function' ? context.next(request) : new Response(null, { status: 502 }),
) => {
  const wrapped = touchpoint(options).wrap(typeof handler === 'function' ? (request, decision, _env, ctx) => handler(request, decision, ctx as NetlifyContext) : (handler as never))
  return (request: Request, context: NetlifyContext): Promise<Response> => wrapped(request, undefined, context)
}
