// The tables, one file per server module that owns them (`src/lib/server/<module>/`).
export * from './departments';
export * from './enterprises';
export * from './users';
export * from './auth';
export * from './settings';
export * from './audit';
export * from './findings';
export * from './calendar';
export * from './cases';
export * from './complaints';
export * from './surveys';
export * from './evaluation';
export * from './rectification';
export * from './visits';
export * from './handbook';
