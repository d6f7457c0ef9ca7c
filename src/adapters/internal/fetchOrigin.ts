/**
 * The default handler of the adapters that sit in front of an origin (`cloudflareWorker`): pass the request on
 * with `fetch`. `wrap` knows it by identity and calls `fetch(request, { headers })` itself, so a request whose
 * headers are immutable is built once, by `fetch`, instead of copied by the adapter and then again by `fetch`
 * (in workerd each copy clones the request's `cf` properties). Not exported from any entry.
 *
 * @internal
 * @module
 */
export const fetchOrigin = (request: Request): Promise<Response> => fetch(request)
