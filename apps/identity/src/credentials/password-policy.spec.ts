import { checkPasswordPolicy } from './password-policy';

const base = { confirmation: '', loginId: '40512345678903', firstName: 'Jean-Pierre', lastName: 'Lefèvre', reusesRecentPassword: false };
const check = (newPassword: string, overrides: Partial<typeof base> = {}) =>
  checkPasswordPolicy({ ...base, confirmation: newPassword, ...overrides, newPassword });

describe('checkPasswordPolicy', () => {
  it('accepts a long password unrelated to the person', () => {
    expect(check('Correct-Horse-Battery-9')).toEqual([]);
  });

  it('refuses fewer than 12 characters', () => {
    expect(check('Sh0rt-pass!')).toEqual([{ field: 'newPassword', messages: ['newPassword must be at least 12 characters long'] }]);
  });

  it('refuses the login id, the first name or the last name in any case or accent', () => {
    expect(check('xx40512345678903xx')[0].messages).toEqual(['newPassword must not contain the login id']);
    expect(check('my-PIERRE-password-1')[0].messages).toEqual(['newPassword must not contain your first name']);
    expect(check('LEFEVRE-is-my-name-1')[0].messages).toEqual(['newPassword must not contain your last name']);
  });

  it('refuses one of the last five passwords', () => {
    expect(check('Correct-Horse-Battery-9', { reusesRecentPassword: true })[0].messages).toEqual([
      'newPassword must not be one of your last 5 passwords',
    ]);
  });

  it('requires the confirmation to equal the new password, on its own field', () => {
    expect(check('Correct-Horse-Battery-9', { confirmation: 'Correct-Horse-Battery-8' })).toEqual([
      { field: 'newPasswordConfirmation', messages: ['newPasswordConfirmation must equal newPassword'] },
    ]);
  });

  it('explains every failed rule at once', () => {
    const errors = check('pierre1', { confirmation: 'other' });
    expect(errors[0].messages).toHaveLength(2);
    expect(errors[1].field).toBe('newPasswordConfirmation');
  });
});
