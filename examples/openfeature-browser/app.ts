/**
 * A browser app reading flags through OpenFeature: touchpoint's web provider over a compiled config (published
 * with `touchpoint compile`, inlined here; a real app fetches it), the device id kept in localStorage as the
 * targeting key, evaluations synchronous. Bundled for the browser and run in headless Chromium by
 * tests/openfeature/examples.test.ts.
 */
import { OpenFeature } from '@openfeature/web-sdk'
import { TouchpointWebProvider } from 'touchpoint/openfeature'
import compiled from './flags.compiled.json'

const deviceId = localStorage.getItem('device-id') ?? crypto.randomUUID()
localStorage.setItem('device-id', deviceId)

const exposures: Array<string> = []
await OpenFeature.setProviderAndWait(new TouchpointWebProvider(compiled, { sink: (xs) => xs.forEach((x) => exposures.push(`${x.experiment}=${x.variant}`)) }), {
  targetingKey: deviceId,
})
const flags = OpenFeature.getClient()

const hero = flags.getObjectValue('hero', { title: 'Hello', image: 'default.jpg' }) as { title: string; image: string }
document.querySelector('h1')!.textContent = hero.title
document.querySelector('img')!.setAttribute('src', hero.image)
await new Promise((resolve) => setTimeout(resolve, 0)) // exposures are handed to the sink after the evaluation
document.body.dataset['exposures'] = exposures.join(',')
document.body.dataset['device'] = deviceId
