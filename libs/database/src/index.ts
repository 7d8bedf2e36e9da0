export * from './migrations';
export * from './group-commit';
export * from './prisma.service';
export * from "./generated/client";
