export * from './http';
export * from './mail';
export * from './system';
export * from './wait';
export * from './tokens';
export * from './fixtures';
export * from './scratch-database';
export * from './scratch-redis';
