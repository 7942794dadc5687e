/**
 * What a stack tells the tools that inspect its construct tree (the policy pack) about itself,
 * through construct context rather than its class: a checker asks the tree, never imports a stack.
 */
import { IConstruct } from 'constructs';

/**
 * Construct context key: whether the stack (or every stack of an app, set on the app) serves
 * production. A boolean, or `'true'`/`'false'` when set from the command line (`cdktf synth -c`).
 */
export const PRODUCTION_CONTEXT_KEY = 'mlflow-infra:production';

/** Marks `stack` (before it has children: construct context is fixed once children exist). */
export function setProduction(stack: IConstruct, production: boolean): void {
  stack.node.setContext(PRODUCTION_CONTEXT_KEY, production);
}

/**
 * Whether `scope` serves production, from the nearest {@link PRODUCTION_CONTEXT_KEY} at or above it;
 * `undefined` when nothing set it. Any other value is an error naming the key and the value.
 */
export function productionOf(scope: IConstruct): boolean | undefined {
  const value: unknown = scope.node.tryGetContext(PRODUCTION_CONTEXT_KEY);
  if (value === undefined || typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`construct context ${PRODUCTION_CONTEXT_KEY} of ${scope.node.path || 'the app'}: ${JSON.stringify(value)} must be true or false`);
}
