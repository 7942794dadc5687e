/**
 * The one switch for real-Terraform tests. With terraform and the AWS provider mirror they run; without
 * them each test FAILS with what is missing and how to provide it (never an incidental error such as
 * "Unexpected end of JSON input"), unless MLFLOW_INFRA_ALLOW_NO_TERRAFORM=1, which skips them (jest
 * reports them as skipped, and a warning says so): a skip never reads as a pass.
 */
import { requireTerraform, TerraformUnavailableError } from '../../src/terraform';

/** Why real-Terraform tests cannot run on this machine, or undefined when they can. */
export function terraformMissing(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    requireTerraform(env);
    return undefined;
  } catch (err) {
    if (err instanceof TerraformUnavailableError) return err.message;
    throw err;
  }
}

/** `test` for tests that need terraform and the provider mirror (see the file comment). */
export function terraformTest(what = 'real-Terraform tests'): typeof test {
  const missing = terraformMissing();
  if (missing === undefined) return test;
  if (process.env.MLFLOW_INFRA_ALLOW_NO_TERRAFORM === '1') {
    console.warn(`!!! ${missing}: ${what} are SKIPPED (MLFLOW_INFRA_ALLOW_NO_TERRAFORM=1)`);
    return test.skip;
  }
  const failing = (name: string) =>
    test(name, () => {
      throw new TerraformUnavailableError(`${missing}. Install them, or set MLFLOW_INFRA_ALLOW_NO_TERRAFORM=1 to skip the ${what} (reported as skipped, not passed).`);
    });
  return failing as unknown as typeof test;
}
