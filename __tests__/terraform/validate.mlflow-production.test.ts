// Real terraform, one stack per file so that jest runs the stacks on different workers (see stack-validation.ts).
import { describeStackValidation } from './stack-validation';

describeStackValidation('mlflow-production', [
  'stubbed random_password.database_password with terraform_data.random_password_database_password (the random provider cannot be installed offline)',
]);
