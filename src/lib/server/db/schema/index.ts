export * from './organisation';
export * from './auth';
export * from './platform';
