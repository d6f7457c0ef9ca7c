import { cloudflareWorker } from '../../../src/edge'
import { appHandler, appOptions } from '../_app'

export default cloudflareWorker(appOptions<unknown>(), appHandler('workerd'))
