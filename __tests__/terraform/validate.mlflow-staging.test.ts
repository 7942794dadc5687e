// Real terraform, one stack per file so that jest runs the stacks on different workers (see stack-validation.ts).
import { describeStackValidation } from './stack-validation';

describeStackValidation('mlflow-staging');
