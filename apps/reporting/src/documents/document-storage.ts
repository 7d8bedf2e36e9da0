import { AppConfig } from '@procura/config';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Writable } from 'node:stream';

/** A stored file being written: bytes go to `stream`; `commit()` makes them the file, `abort()` drops them. */
export interface StorageUpload {
  stream: Writable;
  commit(): Promise<{ size: number }>;
  abort(): Promise<void>;
}

/**
 * Where documents' bytes live. The disk implementation is the default; an object store
 * (S3 multipart upload, GCS resumable upload) implements the same four operations.
 */
export abstract class DocumentStorage {
  /** Opens an upload; committing replaces any earlier file at `key` (a retried build overwrites the partial one). */
  abstract upload(key: string): Promise<StorageUpload>;
  abstract read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  abstract size(key: string): Promise<number | undefined>;
  /** Removes the file; a missing file is not an error (purges may run twice). */
  abstract delete(key: string): Promise<void>;
}

/** Files under `<dataDir>/documents/`, written to a temporary name then renamed, so a crash never leaves a half file under the real name. */
export class DiskDocumentStorage extends DocumentStorage {
  readonly root: string;

  constructor(dataDir: string) {
    super();
    this.root = resolve(dataDir, 'documents');
  }

  static fromConfig(config: AppConfig): DiskDocumentStorage {
    return new DiskDocumentStorage(config.dataDir);
  }

  async upload(key: string): Promise<StorageUpload> {
    const path = this.pathOf(key);
    // One temporary name per key: a retry after a crash truncates the previous attempt's partial file.
    const partial = `${path}.partial`;
    await mkdir(dirname(path), { recursive: true });
    const stream = createWriteStream(partial, { flags: 'w' });
    return {
      stream,
      commit: async () => {
        if (!stream.writableFinished) await new Promise<void>((ok, fail) => stream.once('finish', ok).once('error', fail));
        const handle = await open(partial, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(partial, path);
        return { size: (await stat(path)).size };
      },
      abort: async () => {
        stream.destroy();
        await rm(partial, { force: true });
      },
    };
  }

  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const path = this.pathOf(key);
    await stat(path);
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async size(key: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch {
      return undefined;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await rm(path, { force: true });
    await rm(`${path}.partial`, { force: true });
  }

  /** Keys are ours (company/report ids), but a path never leaves the root whatever they contain. */
  private pathOf(key: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,300}$/.test(key) || key.includes('..')) throw new Error(`invalid storage key ${key}`);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`invalid storage key ${key}`);
    return join(path);
  }
}
