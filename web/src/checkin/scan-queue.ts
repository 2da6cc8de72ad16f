// The kiosk's offline queue: every scan gets its nonce when it is made and is stored in IndexedDB before any
// network call, so a scan survives a dead connection, a closed tab or a reload. Sending is safe to repeat: the
// server records a nonce once and answers a replay with the original result.

export interface QueuedScan {
  nonce: string;
  eventId: string;
  scan: Record<string, unknown>;
  label: string;
  queuedAt: string;
}

const DB = "throughline-kiosk";
const STORE = "scans";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE))
        req.result.createObjectStore(STORE, { keyPath: "nonce" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export async function queuedScans(eventId: string): Promise<QueuedScan[]> {
  const all = await run<QueuedScan[]>("readonly", (s) => s.getAll() as IDBRequest<QueuedScan[]>);
  return all.filter((q) => q.eventId === eventId).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
}

export function putScan(item: QueuedScan): Promise<IDBValidKey> {
  return run("readwrite", (s) => s.put(item));
}

export function removeScan(nonce: string): Promise<undefined> {
  return run("readwrite", (s) => s.delete(nonce));
}
