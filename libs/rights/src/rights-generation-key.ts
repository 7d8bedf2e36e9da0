/**
 * The Redis key of a user's generation token. The authorizations service replaces the
 * token after every committed change to the user's rights; a compiled copy is current
 * only while the token it was compiled under is still the one stored there. A missing
 * key is never "unchanged": only the authorizations service creates tokens.
 */
export const rightsGenerationKey = (userId: string) => `procura:authz:rights-gen:${userId}`;
