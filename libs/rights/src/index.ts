export * from './catalog-index';
export * from './catalog-version';
export * from './compiled-rights';
export * from './effective-rights';
export * from './rights-generation-key';
