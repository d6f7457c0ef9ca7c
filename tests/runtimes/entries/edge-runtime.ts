// Vercel's Edge Runtime runs a script that listens for fetch events (the way it hosts Edge Functions).
import { vercelEdge } from '../../../src/edge'
import { appHandler, appOptions } from '../_app'

interface FetchEvent extends Event {
  readonly request: Request
  respondWith(response: Promise<Response>): void
  waitUntil(promise: Promise<unknown>): void
}

const handle = vercelEdge(appOptions<undefined>(), appHandler('edge-runtime'))
addEventListener('fetch', (event) => {
  const e = event as FetchEvent
  e.respondWith(handle(e.request, e))
})
