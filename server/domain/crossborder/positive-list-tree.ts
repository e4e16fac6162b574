// The regulator's positive list (正面清单) as the tree circuits/positive_list.circom proves
// membership in: one leaf Poseidon(destination, category) per active entry, in a depth-10 tree
// (sdk/zk/positive-list.ts). The root is a function of the active entries alone, read from the
// database on each use (the tree rebuilt only when they differ from the last ones), so it changes
// the moment the regulator adds or removes an entry and a proof under an earlier root no longer
// matches it. Only the current root is accepted: a root that was current before a removal would
// still prove the removed entry.
//
// Codes. The circuit takes field elements; the exchange names destinations by ISO 3166-1 alpha-2
// and categories by taxonomy strings (finance.credit). Both are encoded as their ASCII bytes read
// big-endian (SG → 0x5347; a classification is at most 31 bytes, below the field's 254 bits), so
// the codes need no lookup table, never shift when the taxonomy grows, and anyone recomputes them.
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbHandle } from '../../db/client.ts';
import { positiveListEntries } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { PositiveList, type PositiveListEntry, type PositiveListInput } from '../../../sdk/zk/positive-list.ts';
import { Classification, Destination } from './crossborder-records.ts';

/** Field elements hold 31 whole bytes. */
const MAX_CODE_BYTES = 31;

/** A short ASCII name as a field element: its bytes read big-endian. */
export function asciiCode(name: string): bigint {
  if (!/^[\x21-\x7e]+$/.test(name) || name.length > MAX_CODE_BYTES) throw new RangeError(`"${name}" is not 1 to ${MAX_CODE_BYTES} printable ASCII characters`);
  return BigInt('0x' + Buffer.from(name, 'ascii').toString('hex'));
}

export const destinationCode = (destination: string): bigint => asciiCode(destination);
export const categoryCode = (classification: string): bigint => asciiCode(classification);

export interface PositiveListSnapshot {
  /** The active entries in tree order (oldest first), with their codes. */
  entries: { destination: string; classification: string; code: PositiveListEntry }[];
  /** The list's tree; null while the list is empty (no root, nothing can be proved). */
  list: PositiveList | null;
}

/** The positive list as it stands: its active entries in the order they were added. */
export async function currentPositiveList(handle: DbHandle): Promise<PositiveListSnapshot> {
  const rows = await handle
    .select({ destination: positiveListEntries.destination, classification: positiveListEntries.classification })
    .from(positiveListEntries)
    .where(eq(positiveListEntries.status, 'active'))
    .orderBy(asc(positiveListEntries.createdAt), asc(positiveListEntries.id));
  const entries = rows.map((r) => ({ ...r, code: { destination: destinationCode(r.destination), category: categoryCode(r.classification) } }));
  return { entries, list: entries.length ? treeOf(entries) : null };
}

/**
 * The tree of the last list seen, by its entries in order: the list changes rarely and is read
 * by every witness, root and positive_list submission, and a tree of 1,024 entries costs about a
 * thousand Poseidon hashes (some 0.2 s). Keyed by content, so a change rebuilds it at once.
 */
let lastTree: { key: string; list: PositiveList } | null = null;

function treeOf(entries: PositiveListSnapshot['entries']): PositiveList {
  const key = entries.map((e) => `${e.destination}\u0000${e.classification}`).join('\u0001');
  if (lastTree?.key !== key) lastTree = { key, list: PositiveList.build(entries.map((e) => e.code)) };
  return lastTree.list;
}

/** The witness a provider needs to prove (destination, classification) is on the current list, or null when it is not. */
export function positiveListWitness(snapshot: PositiveListSnapshot, destination: string, classification: string): PositiveListInput | null {
  const entry = { destination: destinationCode(destination), category: categoryCode(classification) };
  if (!snapshot.list || snapshot.list.indexOf(entry) < 0) return null;
  return snapshot.list.input(entry);
}

/** Whether a proof's public signals name the current list and this (destination, classification). */
export function matchesCurrentList(
  snapshot: PositiveListSnapshot,
  signals: { listRoot: bigint; destination: bigint; category: bigint },
  expected: { destination: string; classification: string },
): { ok: true } | { ok: false; reason: string } {
  if (!snapshot.list || signals.listRoot !== snapshot.list.root) return { ok: false, reason: 'the proof is under a positive list root that is not the current one' };
  if (signals.destination !== destinationCode(expected.destination)) return { ok: false, reason: `the proof names another destination than ${expected.destination}` };
  if (signals.category !== categoryCode(expected.classification)) return { ok: false, reason: `the proof names another category than the dataset's ${expected.classification}` };
  return { ok: true };
}

const WitnessInput = z.object({ destination: Destination, classification: Classification });

/**
 * What a provider feeds sdk/zk's provePositiveList to prove (destination, classification) is on
 * the list as it stands: the current root, the two codes, the entry's position and Merkle path.
 * The list is public, so anyone may ask. NOT_FOUND when the pair is not on the list.
 */
export async function findPositiveListWitness({ db, input }: { db: DbHandle; input: z.input<typeof WitnessInput> }): Promise<PositiveListInput> {
  const { destination, classification } = parseInput(WitnessInput, input);
  const witness = positiveListWitness(await currentPositiveList(db), destination, classification);
  if (!witness) throw new AppError('NOT_FOUND', { field: 'classification', message: `${classification} is not on the positive list for ${destination}` });
  return witness;
}

/** The current root (decimal) and entry count; the root is null while the list is empty. */
export async function positiveListRoot(db: DbHandle): Promise<{ root: string | null; entries: number }> {
  const { list, entries } = await currentPositiveList(db);
  return { root: list ? list.root.toString() : null, entries: entries.length };
}
