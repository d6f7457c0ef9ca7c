/**
 * Connection strings: from a flag or an environment variable, and never shown with their password.
 *
 * @module
 */

/**
 * `url` with its password replaced by `***` (and anything that does not parse as a URL hidden whole), for
 * messages and logs.
 *
 * @example
 * redactUrl('postgres://ana:s3cret@db:5432/shop') // => 'postgres://ana:***@db:5432/shop'
 *
 * @category engines
 * @since 0.2.0
 */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url)
    if (u.password !== '') u.password = '***'
    for (const key of [...u.searchParams.keys()]) if (/pass|secret|token|key/i.test(key)) u.searchParams.set(key, '***')
    return u.toString()
  } catch {
    return '(a connection string that is not a URL)'
  }
}

/** The secrets inside a connection string (password, secret-looking query parameters), to scrub from messages. */
export const secretsOf = (url: string): ReadonlyArray<string> => {
  try {
    const u = new URL(url)
    const out: Array<string> = []
    if (u.password !== '') out.push(u.password, decodeURIComponent(u.password))
    for (const [k, v] of u.searchParams) if (/pass|secret|token|key/i.test(k) && v !== '') out.push(v)
    return out.filter((s) => s.length > 0)
  } catch {
    return [url]
  }
}

/** `text` with every secret replaced by `***`. */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string => secrets.reduce((t, s) => t.split(s).join('***'), text)
