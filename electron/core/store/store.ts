import { copyFile, mkdir, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { OutpostError } from '../api/errors';
import { emptyStore, migrations, SCHEMA_VERSION, type StoreData } from './schema';

/**
 * The embedded state: one lowdb JSON file in the user-data folder. lowdb's JSONFile writes
 * through steno (temp file + rename), so a crash mid-write leaves the old file intact.
 * All writes go through `update`, which serialises them so concurrent callers cannot lose
 * each other's changes.
 */
export class Store {
  private queue: Promise<unknown> = Promise.resolve();
  private listeners = new Set<(collection: string) => void>();

  private constructor(private readonly db: Low<StoreData>, readonly path: string) {}

  static async open(dataDir: string): Promise<Store> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, 'outpost.json');
    const existed = existsSync(path);
    const db = new Low<StoreData>(new JSONFile<StoreData>(path), emptyStore());
    try {
      await db.read();
    } catch (err) {
      throw new OutpostError('store.unreadable', `The state file ${path} cannot be read: ${(err as Error).message}`, { path });
    }
    const store = new Store(db, path);
    await store.migrate(existed);
    return store;
  }

  get data(): Readonly<StoreData> {
    return this.db.data;
  }

  private async migrate(existed: boolean): Promise<void> {
    const d = this.db.data as unknown as Record<string, any>;
    const from = typeof d.schemaVersion === 'number' ? d.schemaVersion : 1;
    if (from > SCHEMA_VERSION) {
      throw new OutpostError('store.too_new',
        `The state file was written by a newer Outpost (schema ${from}, this one knows ${SCHEMA_VERSION}). Upgrade Outpost.`,
        { path: this.path, found: from, supported: SCHEMA_VERSION });
    }
    if (existed && from < SCHEMA_VERSION) await copyFile(this.path, `${this.path}.v${from}.bak`);
    for (let v = from; v < SCHEMA_VERSION; v++) migrations[v]?.(d);
    const fresh = emptyStore();
    for (const k of Object.keys(fresh) as (keyof StoreData)[]) d[k] ??= fresh[k];
    d.schemaVersion = SCHEMA_VERSION;
    await this.db.write();
    await chmod(this.path, 0o600);
  }

  /** Applies a change and writes the file; resolves with what `fn` returned. */
  update<T>(fn: (d: StoreData) => T, collection = 'state'): Promise<T> {
    const run = this.queue.then(async () => {
      const out = fn(this.db.data);
      await this.db.write();
      // steno writes a fresh temp file and renames it, so the mode must be set each time.
      await chmod(this.path, 0o600);
      for (const l of this.listeners) l(collection);
      return out;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A domain collection (e.g. 'bundles'), created on first use. */
  collection<T>(name: string): T[] {
    return ((this.db.data.collections[name] ??= []) as T[]);
  }

  onChange(l: (collection: string) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Waits for pending writes (tests, shutdown). */
  flush(): Promise<unknown> {
    return this.queue;
  }
}
