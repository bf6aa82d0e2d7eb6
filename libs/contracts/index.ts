export * from './api-resources';
export * from './jobs';
