// The conventional way to write a cdktf app, for comparison only (bench/synth): ts-node with
// type-checking, and the provider's barrel import. Excluded from lint on purpose.
import { App, TerraformStack } from 'cdktf';
import * as aws from '@cdktf/provider-aws';

const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out' });
const stack = new TerraformStack(app, 'conventional');
new aws.provider.AwsProvider(stack, 'aws', { region: 'us-east-1' });
new aws.s3Bucket.S3Bucket(stack, 'bucket', { bucket: 'conventional-bench-bucket' });
app.synth();
