export * from './api-resources';
export * from './jobs';
export * from './images';
export * from './byte-size';
