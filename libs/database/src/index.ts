export * from './migrations';
export * from './group-commit';
export * from './pool-sql';
export * from './prisma.service';
export * from './seed-lock';
export * from './transactions';
export * from './generated/client';
