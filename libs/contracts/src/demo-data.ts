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
    /** Claire is the supervisor of a bank branch of her own. */
    organisation: { id: '00000000-0000-4000-8000-000000000011', name: 'Banque Démo, agence Centre' },
  },
  /**
   * An accounting firm (seed 003) with one collaborator who signs in interactively (login
   * id or e-mail, the password below, then a code of `totpSecret`) and two client companies
   * in her portfolio. Development only, printed by `npm start`.
   */
  firm: {
    organisation: { id: '00000000-0000-4000-8000-000000000012', name: 'Cabinet Lefèvre Expertise Comptable' },
    collaborator: {
      id: '00000000-0000-4000-8000-000000000002',
      name: 'Camille Durand',
      email: 'camille.durand@cabinet-lefevre.example',
      loginId: '40900000001019',
      password: 'Demo-Procura-2026!',
      totpSecret: 'CAMILLEDURANDDEMOTOTPSECRETCCCCC',
    },
    clients: {
      /** Its users sign in with their e-mail (seed 003: the e-mail "sert d'identifiant unique"). */
      girard: { id: '00000000-0000-4000-8000-000000000103', name: 'Pharmacie Girard SELARL', registrationNumber: '481592604' },
      roux: { id: '00000000-0000-4000-8000-000000000104', name: 'Garage Roux SARL', registrationNumber: '390417266' },
    },
  },
  companies: {
    /** Administrators sign collectively: every change needs a second administrator. */
    martin: { id: '00000000-0000-4000-8000-000000000101', name: 'Boulangerie Martin SARL', registrationNumber: '552100554' },
    /** One administrator with an individual signature. */
    dupont: { id: '00000000-0000-4000-8000-000000000102', name: 'Atelier Dupont SAS', registrationNumber: '732829320' },
  },
  /**
   * Demo sign-ins (development only, seeded when SEED_DEMO=true): every demo user has a
   * permanent credential with `password` (already changed, not provisional). The
   * administrators have TOTP enrolled with `totpSecret` (RFC 6238, SHA-1, 6 digits, 30 s):
   * add it to any authenticator app (or `node -e "console.log(require('otplib').generateSync({secret:'…'}))"`)
   * to get step-up codes. The standard users enrol TOTP at their first sign-in.
   */
  users: {
    sophie: {
      id: '00000000-0000-4000-8000-000000000201',
      name: 'Sophie Martin',
      loginId: '40200000002012',
      password: 'Demo-Procura-2026!',
      totpSecret: 'SOPHIEMARTINDEMOTOTPSECRETAAAAAA',
    },
    paul: {
      id: '00000000-0000-4000-8000-000000000202',
      name: 'Paul Martin',
      loginId: '40200000002020',
      password: 'Demo-Procura-2026!',
      totpSecret: 'PAULMARTINDEMOTOTPSECRETBBBBBBBB',
    },
    julie: {
      id: '00000000-0000-4000-8000-000000000203',
      name: 'Julie Leroy',
      loginId: '40200000002038',
      password: 'Demo-Procura-2026!',
      totpSecret: null,
    },
    hugo: {
      id: '00000000-0000-4000-8000-000000000204',
      name: 'Hugo Petit',
      loginId: '40200000002046',
      password: 'Demo-Procura-2026!',
      totpSecret: null,
    },
    marc: {
      id: '00000000-0000-4000-8000-000000000211',
      name: 'Marc Dupont',
      loginId: '40200000002111',
      password: 'Demo-Procura-2026!',
      totpSecret: 'MARCDUPONTDEMOTOTPSECRETCCCCCCCC',
    },
    lea: {
      id: '00000000-0000-4000-8000-000000000212',
      name: 'Léa Moreau',
      loginId: '40200000002129',
      password: 'Demo-Procura-2026!',
      totpSecret: null,
    },
    /**
     * One person, two companies (seed 003 "accès aux dossiers"): Nathalie Girard is the
     * administrator of the pharmacy (which signs in with the e-mail: she signs in with
     * `email`, lands there, her billed company) and of the garage, where she switches without
     * signing in again (POST /auth/switch-company, or the console's company menu).
     */
    nathalie: {
      id: '00000000-0000-4000-8000-000000000221',
      name: 'Nathalie Girard',
      email: 'nathalie.girard@pharmacie-girard.example',
      loginId: '40200000002210',
      password: 'Demo-Procura-2026!',
      totpSecret: 'NATHALIEGIRARDDEMOTOTPSECRETDDDD',
    },
    /** Nathalie Girard's membership of the garage: its own rights and credential (no TOTP: her sign-in's code counts). */
    nathalieAtRoux: {
      id: '00000000-0000-4000-8000-000000000222',
      name: 'Nathalie Girard',
      email: 'nathalie.girard@pharmacie-girard.example',
      loginId: '40200000002228',
      password: 'Demo-Procura-2026!',
      totpSecret: null,
    },
  },
} as const;
