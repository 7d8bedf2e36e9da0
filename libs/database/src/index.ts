export * from './migrations';
export * from './prisma.service';
export * from "./generated/client";
