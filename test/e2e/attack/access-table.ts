// The security matrix's expectations: for every operation of the OpenAPI document, the
// status each kind of actor gets. An operation without a row fails the matrix: adding an
// operation means adding its line here (and, when it takes a body, a valid one).
//
// Columns, in this order (see world.ts):
//   anonymous      no Authorization header
//   forged         an access token signed with another secret
//   standard       a standard user of company A
//   admin          an administrator of company A (collective signature: a change waits, 202)
//   otherAdmin     an administrator of company B
//   operator       the operator managing company A
//   otherOperator  an operator who does not manage A
// A cell is a status, or alternatives separated by `|`.
import { randomInt, randomUUID } from 'node:crypto';
import { CallSpec } from './operations';
import { ActorName } from './world';

export interface AccessRow extends CallSpec {
  expected: Record<ActorName, number[]>;
}

const COLUMNS: ActorName[] = ['anonymous', 'forged', 'standard', 'admin', 'otherAdmin', 'operator', 'otherOperator'];

/** One line of the table: the seven statuses, then how to call the operation when it needs more than the world's ids. */
function row(statuses: string, spec: CallSpec = {}): AccessRow {
  const cells = statuses.trim().split(/\s+/);
  if (cells.length !== COLUMNS.length) throw new Error(`a row has ${COLUMNS.length} cells, not ${cells.length}: "${statuses}"`);
  const expected = Object.fromEntries(COLUMNS.map((actor, i) => [actor, cells[i].split('|').map(Number)])) as Record<ActorName, number[]>;
  return { ...spec, expected };
}

const unique = () => `${Date.now().toString(36)}${randomInt(1e9).toString(36)}`;
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const person = (clientType = 'STANDARD') => ({
  lastName: 'Matrice',
  firstName: 'Noé',
  birthDate: '1988-04-02',
  email: `noe.matrice.${unique()}@attack.example`,
  clientType,
});
const authorization = () => ({
  label: 'Matrice',
  service: 'EINVOICING',
  effectiveFrom: new Date(Date.now() - 86_400_000).toISOString(),
  grants: [{ right: 'SUPPLIER_INVOICING', level: 'CONSULT' }],
});

export const ACCESS: Record<string, AccessRow> = {
  // operation                                         anon forged std admin otherAdm oper otherOp
  // Public; 503 only while a component is down, whoever asks.
  'GET /health': row('200|503 200|503 200|503 200|503 200|503 200|503 200|503', { healthReport: true }),
  // Readiness of this gateway replica alone (its PostgreSQL and Redis), for orchestrators.
  'GET /health/ready': row('200|503 200|503 200|503 200|503 200|503 200|503 200|503', { healthReport: true }),
  'POST /auth/login': row('401 401 401 401 401 401 401', { body: () => ({ loginId: '10000000000008', password: 'Not-the-password-1' }) }),
  'POST /auth/refresh': row('401 401 401 401 401 401 401', { body: () => ({ refreshToken: `${randomUUID()}.${randomUUID()}` }) }),
  'POST /auth/logout': row('401 401 200 200 200 401 401'),
  'POST /auth/password': row('401 401 401 401 401 401 401', {
    body: () => ({
      currentPassword: 'Not-the-password-1',
      newPassword: 'Tournesol-Matrice-2026',
      newPasswordConfirmation: 'Tournesol-Matrice-2026',
    }),
  }),
  'POST /auth/totp/enrol': row('401 401 401 401 401 401 401'),
  'POST /auth/totp/confirm': row('401 401 401 401 401 401 401', { body: () => ({ code: '123456' }) }),
  // Only a password-only session of a credential with TOTP enrolled may give the code.
  'POST /auth/totp/verify': row('401 401 401 401 401 401 401', { body: () => ({ code: '123456' }) }),
  'POST /auth/step-up': row('401 401 200 200 200 401 401', { stepUp: true, body: (_w, _actor, totp) => ({ code: totp }) }),
  'GET /auth/me': row('401 401 200 200 200 401 401'),
  // One person, several companies: nobody in the world is a user of two companies, so asking for
  // company A is "already there" for A's users and not found for B's (a switch would end the session).
  'GET /auth/companies': row('401 401 200 200 200 401 401'),
  'POST /auth/switch-company': row('401 401 422 422 404 401 401', { body: (w) => ({ companyId: w.companyA.id }) }),
  'POST /check': row('401 401 200 200 404 200 404', {
    body: (w) => ({ userId: w.targetUserId, service: 'EINVOICING', right: 'SUPPLIER_INVOICING', level: 'CONSULT' }),
  }),
  'POST /check/batch': row('401 401 200 200 404 200 404', {
    body: (w) => ({ questions: [{ userId: w.targetUserId, service: 'EINVOICING', right: 'SUPPLIER_INVOICING', level: 'CONSULT' }] }),
  }),
  // Operators (issue 16). The matrix's operators act through API keys: managing operators,
  // portfolios and keys needs a supervisor signed in interactively (test/e2e/operators).
  'POST /auth/operators/login': row('401 401 401 401 401 401 401', {
    body: () => ({ login: `nobody.${unique()}@attack.example`, password: 'Not-the-password-1' }),
  }),
  'GET /operators/me': row('401 401 403 403 403 200 200'),
  'POST /operators': row('401 401 403 403 403 403 403', {
    body: () => ({ name: 'Noé Matrice', email: `noe.matrice.${unique()}@attack.example`, role: 'COLLABORATOR' }),
  }),
  'GET /operators': row('401 401 403 403 403 403 403'),
  'GET /operators/{operatorId}': row('401 401 403 403 403 200 403'),
  'POST /operators/{operatorId}/suspend': row('401 401 403 403 403 403 403'),
  'POST /operators/{operatorId}/reactivate': row('401 401 403 403 403 403 403'),
  'DELETE /operators/{operatorId}': row('401 401 403 403 403 403 403'),
  'GET /operators/{operatorId}/portfolio': row('401 401 403 403 403 200 403'),
  'PUT /operators/{operatorId}/portfolio/{companyId}': row('401 401 403 403 403 403 403'),
  'DELETE /operators/{operatorId}/portfolio/{companyId}': row('401 401 403 403 403 403 403'),
  'POST /api-keys': row('401 401 403 403 403 403 403', { body: () => ({ label: 'Matrice', totpCode: '123456' }) }),
  'GET /api-keys': row('401 401 403 403 403 403 403'),
  'POST /api-keys/{apiKeyId}/rotate': row('401 401 403 403 403 403 403', { body: () => ({ totpCode: '123456' }) }),
  'POST /api-keys/{apiKeyId}/revoke': row('401 401 403 403 403 403 403'),
  'GET /services': row('401 401 200 200 200 200 200'),
  'GET /pricing-offers': row('401 401 200 200 200 200 200'),
  'POST /companies': row('401 401 403 403 403 201 201', {
    body: () => ({ name: `Matrice ${unique()}`, registrationNumber: digits(9), billingMode: 'CLIENT', pricingOffer: 'ESSENTIEL' }),
  }),
  'GET /companies': row('401 401 403 403 403 200 200'),
  // An administrator reads their own company (the console's header); another company is 404.
  'GET /companies/{companyId}': row('401 401 403 200 404 200 404'),
  'PATCH /companies/{companyId}': row('401 401 403 403 403 200 404', { body: () => ({ pricingOffer: 'PREMIUM' }) }),
  'POST /companies/{companyId}/users': row('401 401 403 202 404 201 404', { body: () => person() }),
  'GET /companies/{companyId}/users': row('401 401 403 200 404 200 404'),
  'GET /users/{userId}': row('401 401 404 200 404 200 404'),
  'PATCH /users/{userId}': row('401 401 403 202 404 403 403', { body: () => ({ lastName: `Matrice${digits(3)}` }) }),
  'DELETE /users/{userId}': row('401 401 403 202 404 403 403'),
  // An operator's activation is a USER_ACTIVATE change of the user's company (the bank's validation); the target is already active.
  'POST /users/{userId}/activate': row('401 401 403 422 404 422 404'),
  'POST /users/{userId}/suspend': row('401 401 403 202 404 403 403'),
  'POST /users/{userId}/reactivate': row('401 401 403 422 404 403 403'),
  'PUT /users/{userId}/admin-signature': row('401 401 403 422 404 403 403', { body: () => ({ adminSignature: 'INDIVIDUAL' }) }),
  'GET /users/{userId}/credentials': row('401 401 404 200 404 200 404'),
  // The operator's is a CREDENTIAL_CREATE change too (the bank's validation, applied at once): on a user of its own.
  'POST /users/{userId}/credentials': row('401 401 403 202 404 201 404', {
    stepUp: true,
    params: (w, actor): Record<string, string> => (actor === 'operator' ? { userId: w.spareUserId } : {}),
    body: (_w, actor, totp) => ({
      type: 'PERMANENT',
      bankingPower: false,
      ...(actor === 'operator' || actor === 'otherOperator' ? {} : { totpCode: totp }),
    }),
  }),
  'POST /credentials/{credentialId}/revoke': row('401 401 403 202 404 403 403'),
  'POST /credentials/{credentialId}/reset': row('401 401 403 202 404 403 403', { body: () => ({ resetTotp: false }) }),
  'POST /credentials/{credentialId}/unlock': row('401 401 404 200 404 200 404'),
  'POST /users/{userId}/welcome-email': row('401 401 404 422 404 422 404'),
  'POST /users/{userId}/edi-code': row('401 401 403 201 404 403 403'),
  'POST /users/{userId}/edi-signatures': row('401 401 404 403 404 403 403', {
    stepUp: true,
    body: (_w, _actor, totp) => ({
      code: 'ABCDEFGHJK',
      validityYears: 1,
      password: 'Signature-Matrice-77',
      passwordConfirmation: 'Signature-Matrice-77',
      totpCode: totp,
    }),
  }),
  'GET /users/{userId}/edi-signatures': row('401 401 404 200 404 200 404'),
  'POST /edi-signatures/{signatureId}/verify': row('401 401 200 404 404 404 404', { body: (w) => ({ password: w.signaturePassword }) }),
  'DELETE /edi-signatures/{signatureId}': row('401 401 200 422 404 422 404', { last: true }),
  'GET /companies/{companyId}/resources': row('401 401 403 200 404 200 404'),
  'POST /companies/{companyId}/resources': row('401 401 403 403 403 201 404', {
    body: () => ({ kind: 'CONTRACT', contractType: 'SEPA_TRANSFERS', label: 'Virements', identifier: `CTR-${digits(8)}` }),
  }),
  'PATCH /companies/{companyId}/resources/{resourceId}': row('401 401 403 403 403 200 404', {
    body: () => ({ label: `Compte ${digits(4)}` }),
  }),
  'POST /companies/{companyId}/authorizations': row('401 401 403 202 404 403 403', { body: authorization }),
  'POST /companies/{companyId}/authorizations/preview': row('401 401 403 200 404 403 403', { body: authorization }),
  'GET /companies/{companyId}/authorizations': row('401 401 403 200 404 200 404'),
  'GET /authorizations/{authorizationId}': row('401 401 403 200 404 200 404'),
  'PATCH /authorizations/{authorizationId}': row('401 401 403 202 404 403 403', { body: () => ({ label: `Matrice ${digits(4)}` }) }),
  'DELETE /authorizations/{authorizationId}': row('401 401 403 202 404 403 403'),
  'POST /authorizations/{authorizationId}/users': row('401 401 403 202 404 403 403', { body: (w) => ({ attach: [w.standard.userId] }) }),
  'POST /users/{userId}/rights/template': row('401 401 403 202 422 403 403', { body: () => ({ template: 'ACCOUNTANT' }) }),
  // From a user with no rights to copy (the standard user holds the EDI sending right his signature needs).
  'POST /users/{userId}/rights/copy': row('401 401 403 422 422 403 403', { body: (w) => ({ fromUserId: w.validator.userId }) }),
  'POST /users/{userId}/rights/authorize-all': row('401 401 403 202 422 403 403', {
    body: () => ({ services: [{ service: 'EINVOICING', profile: 'CONSULT' }] }),
  }),
  'GET /users/{userId}/effective-rights': row('401 401 200 200 404 200 404'),
  'GET /companies/{companyId}/change-requests': row('401 401 403 200 404 200 404'),
  // The operator managing the company submits too (issue 16); one who does not gets 404.
  'POST /companies/{companyId}/change-requests': row('401 401 403 202 404 201|202 404', {
    body: (w) => ({ items: [{ kind: 'USER_UPDATE', payload: { userId: w.targetUserId, lastName: `Lot${digits(3)}` } }] }),
  }),
  // Administrators and operators, like the submission it previews; an operator not managing the company gets 404.
  'POST /companies/{companyId}/change-requests/preview': row('401 401 403 200 404 200 404', {
    body: (w) => ({ items: [{ kind: 'USER_UPDATE', payload: { userId: w.targetUserId, lastName: `Lot${digits(3)}` } }] }),
  }),
  'GET /change-requests/{id}': row('401 401 403 200 404 200 404'),
  // The administrator is the change's maker: refused before the code is checked.
  'POST /change-requests/{id}/approve': row('401 401 403 403 404 403 403', { body: () => ({ totpCode: '123456' }) }),
  'POST /change-requests/{id}/reject': row('401 401 403 403 404 403 403', { body: () => ({ reason: 'Pas maintenant' }) }),
  'POST /change-requests/{id}/cancel': row('401 401 403 200 404 403 403', { last: true }),
  'GET /companies/{companyId}/change-policy': row('401 401 403 200 404 200 404'),
  'PUT /companies/{companyId}/change-policy': row('401 401 403 202 404 404 404', {
    body: () => ({ rules: [{ kind: '*', requiredApprovals: 1, allowIndividualImmediate: true }] }),
  }),
  'GET /companies/{companyId}/audit': row('401 401 403 200 404 200 404'),
  'GET /companies/{companyId}/audit/export': row('401 401 403 200 404 200 404'),
  'GET /companies/{companyId}/audit/verify': row('401 401 403 200 404 200 404'),
  'POST /companies/{companyId}/reports': row('401 401 403 202 404 200 404', { body: () => ({ type: 'DELIVERIES' }) }),
  'GET /reports/{reportId}': row('401 401 403 200 404 200 404'),
  'GET /reports/{reportId}/file': row('401 401 403 200 404 200 404'),
  'GET /companies/{companyId}/documents': row('401 401 403 200 404 200 404'),
  'GET /companies/{companyId}/deliveries': row('401 401 403 200 404 200 404'),
  'PATCH /deliveries/{deliveryId}': row('401 401 403 202 404 403 403', { body: () => ({ active: false }) }),
  'GET /companies/{companyId}/messages': row('401 401 403 403 403 200 404'),
  'GET /notifications/failed': row('401 401 403 403 403 200 200'),
  'POST /notifications/failed/{jobId}/retry': row('401 401 403 403 403 202 404', { last: true }),
};
