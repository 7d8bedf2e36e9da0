export * from './app-config';
export * from './service-runtime';
