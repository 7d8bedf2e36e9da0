export * from './access-token';
export * from './sealed-secret';
