/** Plan review: `terraform show -json` in, a grouped, classified, redacted review out. */
export * from './actions';
export * from './drift';
export * from './input';
export * from './lean-parse';
export * from './render';
export * from './review';
export * from './security';
export * from './types';
export * from './values';
