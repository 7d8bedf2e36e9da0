import { Injectable } from '@nestjs/common';
import type { Prisma } from './generated/client';
import { PrismaService } from './prisma.service';

/** The transaction every repository and change handler is given: one type for the whole code base. */
export type Tx = Prisma.TransactionClient;

/** Where a read may run: inside a transaction, or straight on the client. */
export type Db = Tx | PrismaService;

export interface TransactionOptions {
  /** How long the transaction may run before PostgreSQL work is rolled back (default 15 s). */
  timeoutMs?: number;
}

/**
 * The one way to run a transaction: callers get a `Tx` and pass it down to repositories
 * explicitly (no ambient transaction), so what runs inside it is visible in the code.
 * Never call another service while holding one: a connection of the pool stays busy and
 * every row lock taken stays held for the whole call.
 */
@Injectable()
export class Transactions {
  constructor(private readonly prisma: PrismaService) {}

  run<T>(fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.prisma.$transaction(fn, { timeout: options.timeoutMs ?? 15_000, maxWait: 10_000 });
  }
}
