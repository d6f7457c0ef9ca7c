/**
 * Headers as clients send them: any bytes but the framing ones. A runtime hands a Fetch adapter each header
 * value as the bytes received, one character per byte (Latin-1), so a UTF-8 emoji arrives as four characters;
 * CloudFront hands Lambda@Edge the decoded text itself (the emoji as one code point).
 */
import { fc } from '@fast-check/vitest'

const TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

/** Header names a client can send (tokens), including touchpoint's own and the ones adapters read. */
export const arbHeaderName = fc.oneof(
  fc.constantFrom('cookie', 'host', 'user-agent', 'x-touchpoint-unit', 'x-touchpoint-assignments', 'x-touchpoint-set-cookie', 'x-device-id', 'accept-language', 'cf-ipcountry'),
  fc.string({ unit: fc.constantFrom(...TCHAR), minLength: 1, maxLength: 12 }),
)

/** Any text, emoji, CJK, controls and lone surrogates included. */
export const arbHeaderText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('tp_uid=u-1; x=😀', 'Mozilla/5.0 (Linux; 東京) 日本語', 'tp_uid=😀', 'a\u0000b', '\ud800', 'ñ', '東京.example.com', '[::1', 'a b'),
)

/** What a runtime's `Headers` holds for text a client sent as UTF-8: its bytes as Latin-1 characters. */
export const asReceived = (text: string): string =>
  Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b))
    .join('')
    // CR, LF and NUL end or break an HTTP/1.1 header line, and HTTP/2 refuses them: no client can send them.
    .replace(/[\r\n\0]/g, '')
    .trim()

/** A header list a client can send to a Fetch runtime. */
export const arbReceivedHeaders = fc.array(fc.tuple(arbHeaderName, arbHeaderText.map(asReceived)), { maxLength: 8 })
