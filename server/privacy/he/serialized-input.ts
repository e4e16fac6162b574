// Buyer-supplied SEAL serializations, read defensively before SEAL sees them: size checked
// before decoding, header checked, compressed bodies inflated here with a bound (SEAL's own
// inflater has none, so a small upload could expand to gigabytes inside wasm), and the
// parms_id read so that "made for other parameters" is told apart from "corrupt".

import * as zlib from 'node:zlib';
import { base64LengthFor, decodeBase64 } from '../../../sdk/he/encoding.ts';
import { HeInputError } from './errors.ts';

// SEALHeader (seal/serialization.h): magic u16, header size u8, version major u8, version
// minor u8, compression mode u8, reserved u16, total size u64 — little-endian, 16 bytes.
const SEAL_MAGIC = 0xa15e;
const HEADER_BYTES = 16;
const SEAL_VERSION_MAJOR = 4;
const COMPRESSION_NONE = 0;
const COMPRESSION_ZLIB = 1;
const COMPRESSION_ZSTD = 2;
const PARMS_ID_WORDS = 4;

export interface SealBlob {
  /** The bytes as received (what keyId and keysDigest are computed over). */
  wire: Uint8Array;
  /** The same object re-serialized without compression: what SEAL is given to load. */
  uncompressed: Uint8Array;
  /** The parms_id the object claims, from the start of its body. */
  parmsId: readonly bigint[];
}

export interface ReadSealBlobOptions {
  /** Which input this is, for messages: 'selection', 'publicKey', ... */
  field: string;
  /** Upper bound on the object's uncompressed size, and so on what is decoded. */
  maxBytes: number;
  malformedCode: 'MALFORMED_CIPHERTEXT' | 'MALFORMED_KEY';
}

function inflate(
  body: Uint8Array,
  compression: number,
  options: ReadSealBlobOptions,
): Uint8Array {
  if (compression === COMPRESSION_NONE) return body;
  if (compression !== COMPRESSION_ZLIB && compression !== COMPRESSION_ZSTD) {
    throw new HeInputError(options.malformedCode, `${options.field}: unknown compression mode`);
  }
  // zstd landed in node:zlib in Node 22.15; a namespace import keeps older Nodes loading.
  if (compression === COMPRESSION_ZSTD && typeof zlib.zstdDecompressSync !== 'function') {
    throw new HeInputError(options.malformedCode, `${options.field}: this Node cannot read zstd`);
  }
  try {
    return compression === COMPRESSION_ZLIB
      ? zlib.inflateSync(body, { maxOutputLength: options.maxBytes })
      : zlib.zstdDecompressSync(body, { maxOutputLength: options.maxBytes });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new HeInputError('OVERSIZED_INPUT', `${options.field} expands beyond ${options.maxBytes} bytes`, {
        cause: error,
      });
    }
    throw new HeInputError(options.malformedCode, `${options.field}: compressed body is corrupt`, {
      cause: error,
    });
  }
}

/** The bytes as received, with their SEAL header checked: nothing inflated or parsed yet. */
export interface SealWire {
  wire: Uint8Array;
  compression: number;
}

/** Size bound, base64, and the SEAL header: what can be checked without inflating. */
export function readSealWire(text: unknown, options: ReadSealBlobOptions): SealWire {
  const { field, maxBytes, malformedCode } = options;
  if (typeof text !== 'string' || text.length === 0) {
    throw new HeInputError(malformedCode, `${field} must be a non-empty base64 string`);
  }
  if (text.length > base64LengthFor(maxBytes)) {
    throw new HeInputError('OVERSIZED_INPUT', `${field} is larger than ${maxBytes} bytes`);
  }
  const wire = decodeBase64(text);
  if (!wire) throw new HeInputError(malformedCode, `${field} is not base64`);
  if (wire.length < HEADER_BYTES) {
    throw new HeInputError(malformedCode, `${field} is too short for a SEAL object`);
  }
  const header = new DataView(wire.buffer, wire.byteOffset, HEADER_BYTES);
  if (
    header.getUint16(0, true) !== SEAL_MAGIC ||
    header.getUint8(2) !== HEADER_BYTES ||
    header.getUint8(3) !== SEAL_VERSION_MAJOR ||
    header.getUint16(6, true) !== 0
  ) {
    throw new HeInputError(malformedCode, `${field} is not a SEAL ${SEAL_VERSION_MAJOR}.x object`);
  }
  if (header.getBigUint64(8, true) !== BigInt(wire.length)) {
    throw new HeInputError(malformedCode, `${field} is truncated or has trailing bytes`);
  }
  return { wire, compression: header.getUint8(5) };
}

/** Inflates the body (bounded) and reads the parms_id it claims. */
export function inflateSealWire({ wire, compression }: SealWire, options: ReadSealBlobOptions): SealBlob {
  const body = inflate(wire.subarray(HEADER_BYTES), compression, options);
  if (body.length < PARMS_ID_WORDS * 8) {
    throw new HeInputError(options.malformedCode, `${options.field} has no body`);
  }
  const uncompressed = new Uint8Array(HEADER_BYTES + body.length);
  uncompressed.set(wire.subarray(0, HEADER_BYTES));
  uncompressed.set(body, HEADER_BYTES);
  const rewritten = new DataView(uncompressed.buffer, 0, HEADER_BYTES);
  rewritten.setUint8(5, COMPRESSION_NONE);
  rewritten.setBigUint64(8, BigInt(uncompressed.length), true);
  const bodyView = new DataView(uncompressed.buffer, HEADER_BYTES, PARMS_ID_WORDS * 8);
  const parmsId = Array.from({ length: PARMS_ID_WORDS }, (_, word) =>
    bodyView.getBigUint64(word * 8, true),
  );
  return { wire, uncompressed, parmsId };
}

export function readSealBlob(text: unknown, options: ReadSealBlobOptions): SealBlob {
  return inflateSealWire(readSealWire(text, options), options);
}
