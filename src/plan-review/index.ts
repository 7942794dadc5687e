/** Plan review: `terraform show -json` in, a grouped, classified, redacted review out. */
export * from './actions';
export * from './drift';
export * from '../terraform-json/plan-input';
export * from '../terraform-json/plan-reader';
export * from './render';
export * from './review';
export * from './security';
export * from './stream';
export * from '../terraform-json/plan-types';
export * from './values';
