/**
 * Authenticated paths for programmatic MLflow clients. The public ALB authenticates with
 * OIDC/Cognito, which only works for browsers (it accepts its own session cookie, not a bearer
 * token), so clients get a second, separately protected entrance to the same ECS service:
 *
 * - an internal ALB in the private subnets (its own security group, HTTPS only) forwarding to a
 *   second target group that the ECS service also registers with;
 * - `apigateway-iam`: an API Gateway HTTP API whose `/api/*` and `/ajax-api/*` routes require IAM
 *   (SigV4) authorization, reaching the internal ALB's listener through a VPC link; only the VPC
 *   link's security group may connect to the internal ALB. Clients set
 *   `MLFLOW_TRACKING_AWS_SIGV4=true` and need the emitted `execute-api:Invoke` managed policy;
 * - `internal-alb`: the internal ALB accepts only the configured security groups and CIDRs, and
 *   forwards to a separate ECS service that runs MLflow's basic-auth app (clients send
 *   MLFLOW_TRACKING_USERNAME/PASSWORD); the admin password is generated here. Being inside an
 *   allowed network is never enough to read, write or delete (policy rule MLF-ALB-16).
 *
 * Nothing here touches the public ALB's listeners: every request through it still authenticates.
 * Also here: the managed policy for clients that write artifacts directly to S3.
 */
import { Construct } from 'constructs';
import { suppress } from './suppress';
import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2ApiMapping } from '@cdktf/provider-aws/lib/apigatewayv2-api-mapping';
import { Apigatewayv2DomainName } from '@cdktf/provider-aws/lib/apigatewayv2-domain-name';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { Apigatewayv2VpcLink } from '@cdktf/provider-aws/lib/apigatewayv2-vpc-link';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { ResolvedApiAccess } from '../config/defaults';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { BASIC_AUTH_HEALTH_CHECK_PATH, CONTAINER_PORT, HEALTH_CHECK_PATH } from '../image/contract';
import { AccessLogsTarget, ArtifactStorage } from './artifacts';
import { basicAuthAdminSecret } from './basic-auth';
import { dnsValidatedCertificate, TLS_POLICY } from './edge';
import { GrantedPolicyDocument, policyDocument } from './iam';
import { sgRule } from './sg-rule';

/** The MLflow paths programmatic clients use; nothing else is routed. */
export const API_ROUTE_KEYS = ['ANY /api/{proxy+}', 'ANY /ajax-api/{proxy+}'] as const;

export interface ApiAccessProps {
  readonly settings: ResolvedApiAccess;
  readonly namePrefix: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly privateSubnetIds: string[];
  readonly kmsKeyArn: string;
  readonly hostedZoneId: string;
  /** The public edge's certificate and hostname, used when `settings.hostname` is not set. */
  readonly edgeCertificate: { readonly arn: string; readonly hostname: string };
  readonly deregistrationDelaySeconds: number;
  readonly accessLogs: AccessLogsTarget;
  readonly deletionProtection: boolean;
}

export class ApiAccess extends Construct {
  public readonly loadBalancer: Lb;
  public readonly targetGroup: LbTargetGroup;
  public readonly listener: LbListener;
  /** Attached to the ECS tasks: admits the internal ALB on the container port. */
  public readonly targetsSecurityGroup: SecurityGroup;
  public readonly albSecurityGroup: SecurityGroup;
  /** The tracking URI clients use. */
  public readonly url: string;
  public api?: Apigatewayv2Api;
  public routes: Apigatewayv2Route[] = [];
  public invokePolicy?: IamPolicy;
  /** `internal-alb`: the basic-auth admin password of the API service. */
  public readonly adminPasswordSecret?: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: ApiAccessProps) {
    super(scope, id);
    const { settings, namePrefix } = props;
    const viaApiGateway = settings.mode === 'apigateway-iam';

    let vpcLinkSecurityGroup: SecurityGroup | undefined;
    if (viaApiGateway) {
      vpcLinkSecurityGroup = new SecurityGroup(this, 'vpc-link-sg', {
        name: `${namePrefix}-api-vpc-link-sg`,
        description: 'MLflow API Gateway VPC link: HTTPS to the internal ALB only',
        vpcId: props.vpcId,
        ingress: [],
        egress: [sgRule('HTTPS to the internal MLflow ALB', 443, { cidrBlocks: [props.vpcCidr] })],
        tags: { Name: `${namePrefix}-api-vpc-link-sg` },
      });
    }
    const sources = viaApiGateway
      ? [sgRule('HTTPS from the API Gateway VPC link only', 443, { securityGroups: [vpcLinkSecurityGroup!.id] })]
      : [
          ...(settings.allowedSecurityGroupIds.length > 0 ? [sgRule('HTTPS from allowed MLflow client security groups', 443, { securityGroups: [...settings.allowedSecurityGroupIds].sort() })] : []),
          ...(settings.allowedCidrs.length > 0 ? [sgRule('HTTPS from allowed MLflow client networks', 443, { cidrBlocks: [...settings.allowedCidrs].sort() })] : []),
        ];
    this.albSecurityGroup = new SecurityGroup(this, 'alb-sg', {
      name: `${namePrefix}-api-alb-sg`,
      description: 'Internal MLflow API ALB: HTTPS from allowed clients only',
      vpcId: props.vpcId,
      ingress: sources,
      egress: [sgRule('MLflow tasks in the VPC', CONTAINER_PORT, { cidrBlocks: [props.vpcCidr] })],
      tags: { Name: `${namePrefix}-api-alb-sg` },
    });
    if (settings.allowedCidrs.length > 0) {
      suppress(this.albSecurityGroup, [
        {
          id: 'MLF-SG-8',
          reason: 'The internal API listener admits the client networks configured as allowed CIDRs (VPN, SageMaker, CI runners outside this VPC), which have no security group here to reference.',
        },
      ]);
    }
    this.targetsSecurityGroup = new SecurityGroup(this, 'targets-sg', {
      name: `${namePrefix}-api-targets-sg`,
      description: 'MLflow tasks: port 5000 from the internal API ALB',
      vpcId: props.vpcId,
      ingress: [sgRule('MLflow from the internal API ALB only', CONTAINER_PORT, { securityGroups: [this.albSecurityGroup.id] })],
      // Egress comes from the tasks' main security group.
      egress: [],
      tags: { Name: `${namePrefix}-api-targets-sg` },
    });

    this.loadBalancer = new Lb(this, 'alb', {
      name: settings.loadBalancerName,
      internal: true,
      loadBalancerType: 'application',
      securityGroups: [this.albSecurityGroup.id],
      subnets: props.privateSubnetIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection,
      desyncMitigationMode: 'defensive',
      accessLogs: { bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix, enabled: true },
      dependsOn: props.accessLogs.dependsOn,
    });
    this.targetGroup = new LbTargetGroup(this, 'target-group', {
      name: settings.targetGroupName,
      port: CONTAINER_PORT,
      protocol: 'HTTP',
      vpcId: props.vpcId,
      targetType: 'ip',
      deregistrationDelay: String(props.deregistrationDelaySeconds),
      // The API service runs MLflow's basic-auth app, which answers `/` with 401.
      healthCheck: { enabled: true, path: viaApiGateway ? HEALTH_CHECK_PATH : BASIC_AUTH_HEALTH_CHECK_PATH, protocol: 'HTTP', matcher: '200', healthyThreshold: 2, unhealthyThreshold: 3, timeout: 5, interval: 30 },
    });
    suppress(this.targetGroup, [
      {
        id: 'MLF-ALB-12',
        reason: 'TLS terminates at the ALB; the ALB-to-task hop on the container port stays in private subnets and is admitted only from the ALB security group.',
      },
    ]);
    if (!props.deletionProtection) {
      suppress(this.loadBalancer, [
        {
          id: 'MLF-ALB-3',
          reason: 'Deletion protection follows edge.deletionProtection, which this environment sets to false; config validation requires it in production.',
        },
      ]);
    }
    const hostname = settings.hostname ?? props.edgeCertificate.hostname;
    const certificateArn = settings.hostname ? dnsValidatedCertificate(this, settings.hostname, props.hostedZoneId) : props.edgeCertificate.arn;
    this.listener = new LbListener(this, 'https', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: TLS_POLICY,
      certificateArn,
      defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
    });

    if (!viaApiGateway) {
      this.adminPasswordSecret = basicAuthAdminSecret(this, {
        name: settings.adminPasswordSecretName,
        description: 'MLflow basic-auth admin password (API service behind the internal ALB)',
        kmsKeyArn: props.kmsKeyArn,
      });
      new Route53Record(this, 'alias', {
        zoneId: props.hostedZoneId,
        name: hostname,
        type: 'A',
        alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
      });
      this.url = `https://${hostname}`;
      return;
    }

    const logGroup = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${namePrefix}-mlflow-api`,
      retentionInDays: settings.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const vpcLink = new Apigatewayv2VpcLink(this, 'vpc-link', {
      name: `${namePrefix}-mlflow-api`,
      subnetIds: props.privateSubnetIds,
      securityGroupIds: [vpcLinkSecurityGroup!.id],
    });
    this.api = new Apigatewayv2Api(this, 'api', {
      name: `${namePrefix}-mlflow-api`,
      description: 'MLflow tracking API for programmatic clients: IAM (SigV4) authorization',
      protocolType: 'HTTP',
      // With a custom domain, the execute-api endpoint is switched off: one entrance.
      disableExecuteApiEndpoint: settings.hostname !== undefined,
    });
    const integration = new Apigatewayv2Integration(this, 'integration', {
      apiId: this.api.id,
      description: 'Internal MLflow ALB through the VPC link',
      integrationType: 'HTTP_PROXY',
      integrationMethod: 'ANY',
      connectionType: 'VPC_LINK',
      connectionId: vpcLink.id,
      integrationUri: this.listener.arn,
      payloadFormatVersion: '1.0',
      timeoutMilliseconds: 30000,
      // The internal listener presents this name's certificate.
      tlsConfig: { serverNameToVerify: hostname },
    });
    this.routes = API_ROUTE_KEYS.map(
      (routeKey) =>
        new Apigatewayv2Route(this, `route-${routeKey.split(' ')[1].split('/')[1]}`, {
          apiId: this.api!.id,
          routeKey,
          authorizationType: 'AWS_IAM',
          target: `integrations/${integration.id}`,
        }),
    );
    const stage = new Apigatewayv2Stage(this, 'stage', {
      apiId: this.api.id,
      name: '$default',
      autoDeploy: true,
      defaultRouteSettings: { throttlingRateLimit: settings.throttle.ratePerSecond, throttlingBurstLimit: settings.throttle.burst, detailedMetricsEnabled: true },
      accessLogSettings: {
        destinationArn: logGroup.arn,
        format: JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          caller: '$context.identity.caller',
          user: '$context.identity.userArn',
          requestTime: '$context.requestTime',
          routeKey: '$context.routeKey',
          status: '$context.status',
          responseLength: '$context.responseLength',
          integrationStatus: '$context.integrationStatus',
          integrationLatency: '$context.integrationLatency',
          error: '$context.error.message',
        }),
      },
    });
    this.invokePolicy = new IamPolicy(this, 'invoke-policy', {
      name: `${namePrefix}-mlflow-api-invoke`,
      description: 'Lets an MLflow client call the tracking API (SigV4): attach to training, CI and notebook roles',
      policy: policyDocument([
        {
          Sid: 'InvokeMlflowApi',
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: API_ROUTE_KEYS.map((key) => `${this.api!.executionArn}/*/*/${key.split(' ')[1].split('/')[1]}/*`),
        },
      ]),
    });

    if (settings.hostname) {
      const domain = new Apigatewayv2DomainName(this, 'domain', {
        domainName: settings.hostname,
        domainNameConfiguration: { certificateArn, endpointType: 'REGIONAL', securityPolicy: 'TLS_1_2' },
      });
      new Apigatewayv2ApiMapping(this, 'mapping', { apiId: this.api.id, domainName: domain.id, stage: stage.name });
      new Route53Record(this, 'alias', {
        zoneId: props.hostedZoneId,
        name: settings.hostname,
        type: 'A',
        alias: { name: domain.domainNameConfiguration.targetDomainName, zoneId: domain.domainNameConfiguration.hostedZoneId, evaluateTargetHealth: false },
      });
      this.url = `https://${settings.hostname}`;
    } else {
      this.url = this.api.apiEndpoint;
    }
  }
}

export interface ArtifactsClientPolicyProps {
  readonly name: string;
  /** The artifacts bucket; the policy is granted read/write on `prefix` (and the bucket's key). */
  readonly storage: ArtifactStorage;
  readonly prefix: string;
}

/** `artifacts.mode: direct`: clients write artifacts to S3 themselves and need exactly this (a managed policy they attach). */
export class ArtifactsClientPolicy extends Construct {
  public readonly policy: IamPolicy;
  /** The policy's document: what is granted to the clients (the artifacts prefix and its key). */
  public readonly document: GrantedPolicyDocument;

  constructor(scope: Construct, id: string, props: ArtifactsClientPolicyProps) {
    super(scope, id);
    this.document = new GrantedPolicyDocument(`${this.node.path}/policy`);
    this.policy = new IamPolicy(this, 'policy', {
      name: props.name,
      description: 'MLflow clients with direct artifact access: the artifacts prefix and its KMS key only',
      policy: this.document.json,
    });
    props.storage.grantReadWrite(this.document, props.prefix);
  }
}
