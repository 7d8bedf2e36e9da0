import { CommandContract } from '@procura/contracts';
import { DomainError, ServiceUnavailableError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';

/**
 * Asks the authorizations service a question identity's rules depend on (banking power,
 * the EDI sending right), as the system. Fails closed: while it cannot answer, the rule
 * neither passes nor refuses but the request fails (503).
 */
export async function askAuthorizations<P, R>(bus: CommandBus, command: CommandContract<P, R>, payload: P, reason: string): Promise<R> {
  try {
    return await bus.execute(command, payload, { actor: { kind: 'system', reason } });
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'NO_HANDLER' || error.status >= 500))
      throw new ServiceUnavailableError(
        'authorizations',
        error.code === 'SERVICE_UNAVAILABLE' && /time/.test(error.message) ? 'timeout' : 'down',
      );
    throw error;
  }
}
