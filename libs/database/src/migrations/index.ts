export { migrate, MigrationError, findRepoRoot } from './migrator';
export type { MigrateOptions, MigrateResult, MigrationErrorCode } from './migrator';
export { parsePrismaSchema, introspectDatabase, diffSchema } from './schema-drift';
export type {
  ColumnDef,
  ColumnDefault,
  DatabaseModel,
  DbColumn,
  DbEnum,
  DbForeignKey,
  DbIndex,
  DbTable,
  EnumDef,
  EnumValueDef,
  KeyDef,
  ModelDef,
  NativeType,
  Queryable,
  ReferentialAction,
  RelationDef,
  SchemaModel,
} from './schema-drift';
