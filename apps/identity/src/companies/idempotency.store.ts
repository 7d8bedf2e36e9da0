import { Injectable } from '@nestjs/common';
import { Tx } from '@procura/database';
import { ConflictError } from '@procura/errors';
import { createHash } from 'node:crypto';

interface StoredResponse<R> {
  requestHash: string;
  response: R;
}

/**
 * Idempotency-Key support for mutations: the first result is stored in the same
 * transaction as the mutation, so a retry (for instance after a 503 timeout whose
 * command did commit) returns that result instead of acting twice.
 */
@Injectable()
export class IdempotencyStore {
  static hash(request: unknown): string {
    return createHash('sha256').update(JSON.stringify(request)).digest('hex');
  }

  async find<R>(tx: Tx, scope: string, key: string, requestHash: string): Promise<R | undefined> {
    const rows = await tx.$queryRawUnsafe<StoredResponse<R>[]>(
      `SELECT request_hash AS "requestHash", response FROM "identity"."idempotency_records" WHERE scope = $1 AND key = $2`,
      scope,
      key,
    );
    const stored = rows[0];
    if (!stored) return undefined;
    if (stored.requestHash !== requestHash) {
      throw new ConflictError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request');
    }
    return stored.response;
  }

  async save<R>(tx: Tx, scope: string, key: string, requestHash: string, response: R): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO "identity"."idempotency_records" (scope, key, request_hash, response) VALUES ($1, $2, $3, $4::jsonb)`,
      scope,
      key,
      requestHash,
      JSON.stringify(response),
    );
  }
}
