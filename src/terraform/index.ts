export * from './binary';
export * from './offline';
export * from './validate-stack';
export * from './count-split';
export * from './direct-provider';
