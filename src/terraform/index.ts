export * from './binary';
export * from './offline';
