/** The service whose change kinds this process owns (and whose schema holds its ledger). */
export const CHANGES_OWNER = Symbol('CHANGES_OWNER');
