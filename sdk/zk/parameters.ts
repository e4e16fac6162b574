// The compile-time sizes of the compliance circuits, as their `component main` lines fix them
// (circuits/*.circom). A test reads those lines and holds the two together: change both at once,
// then `npm run build:circuits`.

/** Cells per row a compliance circuit reads; a dataset with fewer columns is padded. */
export const COMPLIANCE_COLUMNS = 4;
/** Codes an enumeration rule may list per column. */
export const ENUMERATION_SLOTS = 8;
/** Depth of the dataset Merkle tree: up to 2^20 = 1,048,576 rows. */
export const DATASET_TREE_DEPTH = 20;
/** log2 of the rows one rule_chunk proof covers. */
export const RULE_CHUNK_LEVELS = 6;
export const RULE_CHUNK_ROWS = 1 << RULE_CHUNK_LEVELS;
/** Rows one sampled_audit proof opens. */
export const AUDIT_SAMPLES = 16;
/** log2 of the rows one min_group_size proof counts. */
export const GROUP_CHUNK_LEVELS = 6;
export const GROUP_CHUNK_ROWS = 1 << GROUP_CHUNK_LEVELS;
/** Group codes min_group_size counts (0 … GROUP_CODES-1); nulls are counted in one more slot. */
export const GROUP_CODES = 64;
/** Depth of the regulator's positive-list tree: up to 1,024 (destination, category) entries. */
export const POSITIVE_LIST_DEPTH = 10;
