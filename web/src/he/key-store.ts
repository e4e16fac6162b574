// The buyer's HE key sets in this browser's IndexedDB. The secret key never leaves the browser:
// it is kept here (as the sdk's export, unsealed, like any site-private data) and leaves only as
// a passphrase-sealed file the buyer downloads.

export interface KeySetSummary {
  keyId: string;
  scheme: 'bfv' | 'ckks';
  queries: readonly string[];
  groupCapacity: number;
  createdAt: string;
}

export interface StoredKeySet extends KeySetSummary {
  /** exportKeySet(keySet) without a passphrase. */
  exported: string;
}

const DB = 'exchange-he';
const STORE = 'keySets';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'keyId' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = op(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result as T);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export const summaryOf = ({ exported: _exported, ...summary }: StoredKeySet): KeySetSummary => summary;

export async function listKeySets(): Promise<KeySetSummary[]> {
  const all = await run<StoredKeySet[]>('readonly', (s) => s.getAll());
  return all.map(summaryOf).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export const getKeySet = (keyId: string) => run<StoredKeySet | undefined>('readonly', (s) => s.get(keyId));
export const putKeySet = (keySet: StoredKeySet) => run<IDBValidKey>('readwrite', (s) => s.put(keySet));
export const deleteKeySet = (keyId: string) => run<undefined>('readwrite', (s) => s.delete(keyId));
