/**
 * Every rule of the pack, grouped by service folder (one rule per file, as in cdk-nag).
 */
import { Rule } from '../types';
import { ACM_RULES } from './acm';
import { ALB_RULES } from './alb';
import { APIGATEWAY_RULES } from './apigateway';
import { APPRUNNER_RULES } from './apprunner';
import { AUTOSCALING_RULES } from './autoscaling';
import { COGNITO_RULES } from './cognito';
import { ECR_RULES } from './ecr';
import { ECS_RULES } from './ecs';
import { GENERAL_RULES } from './general';
import { IAM_RULES } from './iam';
import { KMS_RULES } from './kms';
import { LOGS_RULES } from './logs';
import { RDS_RULES } from './rds';
import { ROUTE53_RULES } from './route53';
import { S3_RULES } from './s3';
import { SECRETS_RULES } from './secrets';
import { SG_RULES } from './sg';
import { SNS_RULES } from './sns';
import { VPC_RULES } from './vpc';
import { WAF_RULES } from './waf';

export const ALL_RULES: readonly Rule[] = [
  ...S3_RULES,
  ...ALB_RULES,
  ...WAF_RULES,
  ...ECS_RULES,
  ...ECR_RULES,
  ...RDS_RULES,
  ...SECRETS_RULES,
  ...LOGS_RULES,
  ...KMS_RULES,
  ...VPC_RULES,
  ...SG_RULES,
  ...IAM_RULES,
  ...SNS_RULES,
  ...ACM_RULES,
  ...ROUTE53_RULES,
  ...COGNITO_RULES,
  ...APPRUNNER_RULES,
  ...AUTOSCALING_RULES,
  ...APIGATEWAY_RULES,
  ...GENERAL_RULES,
];
