export * from './secret-box';
export * from './secrets.module';
export * from './sealed-json.transformer';
export * from './key-check';
