export * from './authorizations.contracts';
export * from './identity.contracts';
export * from './pagination';
export * from './queues';
export * from './rpc';
export * from './demo-data';
export * from './changes.contracts';
