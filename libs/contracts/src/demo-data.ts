/**
 * Fixed identifiers of the demo data set seeded by `npm start` (SEED_DEMO=true). Each
 * service seeds its own tables with these ids, so the data set is consistent across
 * services without any service reading another's tables.
 */
export const DEMO = {
  operator: {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'Claire Conseil',
    email: 'claire.conseil@banque-demo.example',
    /** Development only: documented in the README and printed by `npm start`. */
    apiKey: 'demo-operator-key-change-me',
  },
  companies: {
    /** Administrators sign collectively: every change needs a second administrator. */
    martin: { id: '00000000-0000-4000-8000-000000000101', name: 'Boulangerie Martin SARL', registrationNumber: '552100554' },
    /** One administrator with an individual signature. */
    dupont: { id: '00000000-0000-4000-8000-000000000102', name: 'Atelier Dupont SAS', registrationNumber: '732829320' },
  },
} as const;
