import { Actor, IdentityCommands } from '@procura/contracts';
import { NotFoundError } from '@procura/errors';
import { CommandBus } from '@procura/messaging';
import { CompiledRights } from '@procura/rights';
import { RightsAccess } from './rights-access';

const rights = (companyId: string): CompiledRights => ({ userId: 'u1', companyId, status: 'ACTIVE', credentials: [], grants: new Map() });
const user = (companyId: string, clientType: 'ADMINISTRATOR' | 'STANDARD' = 'STANDARD'): Actor => ({
  kind: 'user',
  userId: 'me',
  companyId,
  clientType,
  sessionId: 's',
});
const operator: Actor = { kind: 'operator', operatorId: 'op1' };

describe(RightsAccess.name, () => {
  let managed: Set<string>;
  let calls: number;
  let access: RightsAccess;

  beforeEach(() => {
    managed = new Set(['c1']);
    calls = 0;
    const bus = {
      execute: async (command: { pattern: string }, payload: { companyId: string }) => {
        expect(command.pattern).toBe(IdentityCommands.getCompany.pattern);
        calls++;
        if (!managed.has(payload.companyId)) throw new NotFoundError('Company');
        return {};
      },
    } as unknown as CommandBus;
    access = new RightsAccess(bus);
  });

  it('lets any user of the same company see a user, administrator or not', async () => {
    await expect(access.visible(user('c1'), rights('c1'), new Set())).resolves.toBeDefined();
    await expect(access.visible(user('c1', 'ADMINISTRATOR'), rights('c1'), new Set())).resolves.toBeDefined();
  });

  it('answers 404 for a user of another company and for an unknown user', async () => {
    await expect(access.visible(user('c2'), rights('c1'), new Set())).rejects.toMatchObject({ status: 404, message: 'User not found' });
    await expect(access.visible(user('c1'), null, new Set())).rejects.toMatchObject({ status: 404, message: 'User not found' });
  });

  it('lets the managing operator see, asks identity once and answers 404 to another operator', async () => {
    await access.visible(operator, rights('c1'), new Set());
    await access.visible(operator, rights('c1'), new Set());
    expect(calls).toBe(1);
    await expect(access.visible(operator, rights('c2'), new Set())).rejects.toMatchObject({ status: 404 });
  });

  it('remembers a company already cleared within the request', async () => {
    const cleared = new Set<string>();
    await access.visible(user('c1'), rights('c1'), cleared);
    expect(cleared.has('c1')).toBe(true);
  });
});
