/**
 * The one module that reaches into cdktf's internals (paths under `cdktf/lib/` that are not its
 * public entry point). cdktf is deprecated upstream (docs/cdktf-exit.md): a fork or a new cdktf
 * release may move these files, and this is the only place to change when it does. Lint forbids
 * `cdktf/lib/...` imports everywhere else.
 */
// eslint-disable-next-line no-restricted-imports
import { invokeAspects as cdktfInvokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import type { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * Runs every Aspect added under `root` (what `app.synth()` does first), without writing anything:
 * the policy check evaluates resources after aspects ran.
 */
export function invokeAspects(root: IConstruct): void {
  cdktfInvokeAspects(root);
}

/** Registers cdktf's jest matchers (`toHaveResourceWithProperties`, `toBeValidTerraform`, ...); for jest's setup file. */
export function registerCdktfJestMatchers(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('cdktf/lib/testing/adapters/jest');
}

/** cdktf's own check that every provider a stack's resources use is configured (its messages). */
export function providerPresenceProblems(stack: TerraformStack): string[] {
  // Loaded on use: this file of cdktf's, required before cdktf's index, breaks cdktf's own import
  // cycle ("Class extends value undefined").
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ValidateProviderPresence } = require('cdktf/lib/validations/validate-provider-presence') as typeof import('cdktf/lib/validations/validate-provider-presence');
  return new ValidateProviderPresence(stack).validate();
}
