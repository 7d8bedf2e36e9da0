import { createHash, Hash } from 'node:crypto';
import { createReadStream, createWriteStream, WriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { canonicalJson } from './canonical-json';

export interface SpoolSummary {
  /** SHA-256 (hex) of the spool file: the canonical JSON Lines of everything the report shows. */
  sha256: string;
  items: number;
  bytes: number;
}

/**
 * The data of one report, written once as canonical JSON Lines (a header line, then one
 * line per item) while it is fetched page by page, then read back as often as the
 * layout needs (summary table, then sections) without holding it in memory. The
 * SHA-256 printed in the PDF is the hash of this file, which is attached to the PDF:
 * anyone can extract it and recompute the hash.
 */
export class ReportSpool<Header, Item> {
  private readonly hash: Hash = createHash('sha256');
  private out?: WriteStream;
  private items = 0;
  private bytes = 0;

  constructor(readonly path: string) {}

  async open(header: Header): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    this.out = createWriteStream(this.path, { flags: 'w' });
    await this.writeLine(header);
  }

  async append(item: Item): Promise<void> {
    await this.writeLine(item);
    this.items++;
  }

  async close(): Promise<SpoolSummary> {
    const out = this.out;
    if (!out) throw new Error('spool not open');
    out.end();
    await once(out, 'finish');
    this.out = undefined;
    return { sha256: this.hash.digest('hex'), items: this.items, bytes: this.bytes };
  }

  /** Reads the items back, in the order they were appended. */
  async *read(): AsyncGenerator<Item> {
    const lines = createInterface({ input: createReadStream(this.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let first = true;
    for await (const line of lines) {
      if (first) {
        first = false;
        continue;
      }
      if (line) yield JSON.parse(line) as Item;
    }
  }

  async size(): Promise<number> {
    return (await stat(this.path)).size;
  }

  async remove(): Promise<void> {
    this.out?.destroy();
    await rm(this.path, { force: true });
  }

  private async writeLine(value: unknown): Promise<void> {
    const line = `${canonicalJson(value)}\n`;
    const buffer = Buffer.from(line, 'utf8');
    this.hash.update(buffer);
    this.bytes += buffer.length;
    if (!this.out!.write(buffer)) await once(this.out!, 'drain');
  }
}
