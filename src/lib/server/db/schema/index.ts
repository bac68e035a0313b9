export * from './organisation';
export * from './auth';
export * from './platform';
export * from './inspections';
export * from './cases';
export * from './complaints';
export * from './surveys';
export * from './evaluation';
