import { bankingPowerAllowed } from './banking-power';

describe('bankingPowerAllowed', () => {
  it('refuses banking power to a user whose rights cover only e-invoicing', () => {
    expect(bankingPowerAllowed(['EINVOICING'])).toBe(false);
    expect(bankingPowerAllowed(['EINVOICING', 'EINVOICING'])).toBe(false);
  });

  it('allows it when another service is covered, or none yet', () => {
    expect(bankingPowerAllowed(['EINVOICING', 'BANKING'])).toBe(true);
    expect(bankingPowerAllowed(['BANKING'])).toBe(true);
    expect(bankingPowerAllowed([])).toBe(true);
  });
});
