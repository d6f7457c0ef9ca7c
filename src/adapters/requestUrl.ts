/**
 * Whether Fetch can build a `Request` for `url`. `URL.canParse` is not enough: a Host header such as `a@b`
 * (clients may send any text) reads as user `a` at host `b`, and `Request` refuses URLs with credentials.
 */
export const isRequestUrl = (url: string): boolean => {
  if (!URL.canParse(url)) return false
  const parsed = new URL(url)
  return parsed.username === '' && parsed.password === ''
}
