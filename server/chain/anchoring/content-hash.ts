// The content hash of an anchored record: keccak256 of its canonical JSON. A regulator's
// audit recomputes it from the database rows years later, so the encoding must never depend
// on key order, on the driver's types or on the runtime.
import { keccak256, toUtf8Bytes } from 'ethers';

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785), no whitespace, bigint
 * as its decimal string, Date as its ISO string and undefined object members left out (an
 * undefined array element is null, as JSON.stringify writes it). Values a JSON column would
 * not give back unchanged (NaN, Infinity, functions, symbols, Maps, class instances) are
 * refused rather than silently altered.
 */
export function canonicalJson(content: unknown): string {
  return encode(content, '$');
}

/** keccak256 of the canonical JSON, 0x-prefixed: what the leaf commits to. */
export function canonicalContentHash(content: unknown): string {
  return keccak256(toUtf8Bytes(canonicalJson(content)));
}

function encode(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${path} is ${value}, which JSON cannot hold`);
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString(10));
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new TypeError(`canonical JSON: ${path} is an invalid Date`);
        return JSON.stringify(value.toISOString());
      }
      if (Array.isArray(value)) {
        return '[' + value.map((item, i) => (item === undefined ? 'null' : encode(item, `${path}[${i}]`))).join(',') + ']';
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`canonical JSON: ${path} is a ${proto?.constructor?.name ?? 'non-plain object'}, not a plain object`);
      }
      const members = Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => JSON.stringify(key) + ':' + encode((value as Record<string, unknown>)[key], `${path}.${key}`));
      return '{' + members.join(',') + '}';
    }
    default:
      throw new TypeError(`canonical JSON: ${path} is ${value === undefined ? 'undefined' : `a ${typeof value}`}`);
  }
}
