import { Injectable } from '@nestjs/common';
import { OperatorView } from '@procura/contracts';
import { UnauthenticatedError } from '@procura/errors';
import { createHash } from 'node:crypto';
import { OperatorsRepository } from './operators.repository';

/** Only a SHA-256 of an operator key is stored: keys are long random strings, not passwords. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

@Injectable()
export class OperatorsService {
  constructor(private readonly operators: OperatorsRepository) {}

  async authenticate(apiKey: string): Promise<OperatorView> {
    const operator = await this.operators.findByApiKeyHash(hashApiKey(apiKey));
    if (!operator) throw new UnauthenticatedError('Invalid credentials');
    return operator;
  }
}
