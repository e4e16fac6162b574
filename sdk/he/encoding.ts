// Byte encodings and digests for HE material, written against the web platform only
// (TextEncoder/TextDecoder, WebCrypto) so the same code runs in Node 22 and in the browser.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='
const ENCODE = Uint8Array.from(ALPHABET, (char) => char.charCodeAt(0));
const DECODE = new Int16Array(256).fill(-1);
ENCODE.forEach((code, value) => (DECODE[code] = value));

// Table lookups into ASCII bytes, turned into a string by TextDecoder: key bundles run to
// megabytes, where btoa over String.fromCharCode chunks is ~50x slower.
export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const word = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ENCODE[word >>> 18]!;
    out[o++] = ENCODE[(word >>> 12) & 63]!;
    out[o++] = ENCODE[(word >>> 6) & 63]!;
    out[o++] = ENCODE[word & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const word = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = ENCODE[word >>> 18]!;
    out[o++] = ENCODE[(word >>> 12) & 63]!;
    out[o++] = rest === 2 ? ENCODE[(word >>> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  return new TextDecoder('latin1').decode(out);
}

/**
 * Strict standard base64 (padding required, no whitespace). Returns undefined for anything
 * else, so callers decide which error the bad input deserves.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const chars = new TextEncoder().encode(text);
  if (chars.length !== text.length) return undefined; // non-ASCII
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((chars.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < chars.length; i += 4) {
    const last = i + 4 === chars.length;
    const a = DECODE[chars[i]!]!;
    const b = DECODE[chars[i + 1]!]!;
    const c = last && padding === 2 ? 0 : DECODE[chars[i + 2]!]!;
    const d = last && padding >= 1 ? 0 : DECODE[chars[i + 3]!]!;
    if ((a | b | c | d) < 0) return undefined;
    const word = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[o++] = word >>> 16;
    if (o < bytes.length) bytes[o++] = (word >>> 8) & 255;
    if (o < bytes.length) bytes[o++] = word & 255;
  }
  return bytes;
}

/** The longest base64 text that can decode to at most `maxBytes` bytes. */
export function base64LengthFor(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4;
}

export function encodeHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  // WebCrypto wants an ArrayBuffer-backed view; SEAL's arrays may sit on wasm memory.
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(bytes));
  return new Uint8Array(digest);
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return encodeHex(await sha256(bytes));
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
