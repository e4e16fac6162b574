// The compile-time sizes of the compliance circuits, as their `component main` lines fix them
// (circuits/*.circom). A test reads those lines and holds the two together: change both at once,
// then `npm run build:circuits`.
//
// These are the sizes the repository builds by default: small enough that the local powers-of-
// tau ceremony (2^14) runs in minutes on two cores, so `npm install && npm test` stays fast. A
// production deployment raises them (e.g. 64 rows per chunk, 128 audit samples, 64 group codes),
// which needs a 2^17 ceremony — about an hour on two cores, done once and kept; see
// docs/zk-compliance.md. The soundness argument is the same at every size.

/** Cells per row a compliance circuit reads; a dataset with fewer columns is padded. */
export const COMPLIANCE_COLUMNS = 4;
/** Codes an enumeration rule may list per column. */
export const ENUMERATION_SLOTS = 8;
/** Depth of the dataset Merkle tree: up to 2^20 = 1,048,576 rows. */
export const DATASET_TREE_DEPTH = 20;
/** log2 of the rows one rule_chunk proof covers. */
export const RULE_CHUNK_LEVELS = 2;
export const RULE_CHUNK_ROWS = 1 << RULE_CHUNK_LEVELS;
/** Rows one sampled_audit proof opens. */
export const AUDIT_SAMPLES = 2;
/** log2 of the rows one min_group_size proof counts. */
export const GROUP_CHUNK_LEVELS = 2;
export const GROUP_CHUNK_ROWS = 1 << GROUP_CHUNK_LEVELS;
/** Group codes min_group_size counts (0 … GROUP_CODES-1); nulls are counted in one more slot. */
export const GROUP_CODES = 8;
/** Depth of the regulator's positive-list tree: up to 1,024 (destination, category) entries. */
export const POSITIVE_LIST_DEPTH = 10;
