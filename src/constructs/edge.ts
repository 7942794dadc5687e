/**
 * The edge: an internet-facing ALB (invalid headers dropped, access logs, deletion protection by
 * config), the target group on the container port with health checks on `/`, a port-80 listener
 * that only redirects to HTTPS (301), a port-443 listener with a TLS 1.2+ policy whose default
 * action authenticates (Cognito user pool created here, or any OIDC IdP whose client secret is the
 * sensitive variable `oidc_client_secret`) and then forwards, the ACM certificate (DNS-validated in
 * Route53, or an existing ARN), and the `mlflow.<domain>` alias.
 */
import { Construct } from 'constructs';
import { TerraformIterator, TerraformStack, TerraformVariable } from 'cdktf';
import { AccessLogsTarget } from './artifacts';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { EdgeConfig } from '../config/types';
import { CONTAINER_PORT, HEALTH_CHECK_PATH } from '../image/contract';
import { suppress } from './suppress';

/** The TLS policy every scanner accepts (see shared security rules): TLS 1.3 + 1.2, no older. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Sensitive input for an external IdP's client secret: never in code or in synthesized JSON. */
export const OIDC_CLIENT_SECRET_VARIABLE = 'oidc_client_secret';

export interface EdgeProps {
  readonly config: EdgeConfig;
  readonly region: string;
  readonly vpcId: string;
  readonly publicSubnetIds: string[];
  readonly securityGroupId: string;
  /** Access logs target (the logs bucket, the ALB prefix, its policy). */
  readonly accessLogs: AccessLogsTarget;
}

export class Edge extends Construct {
  public readonly loadBalancer: Lb;
  public readonly targetGroup: LbTargetGroup;
  public readonly httpListener: LbListener;
  public readonly httpsListener: LbListener;
  public readonly certificateArn: string;
  public readonly url: string;
  /** The Cognito user pool, when auth is `cognito`. */
  public userPool?: CognitoUserPool;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const { config } = props;

    this.loadBalancer = new Lb(this, 'alb', {
      name: config.loadBalancerName,
      internal: false,
      loadBalancerType: 'application',
      securityGroups: [props.securityGroupId],
      subnets: props.publicSubnetIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: config.deletionProtection,
      idleTimeout: config.idleTimeoutSeconds,
      desyncMitigationMode: 'defensive',
      accessLogs: { bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix, enabled: true },
      dependsOn: props.accessLogs.dependsOn,
    });
    suppress(this.loadBalancer, [
      {
        id: 'MLF-ALB-5',
        reason:
          'Users and remote MLflow clients reach the tracking server over the internet; compensating controls are authentication on the HTTPS listener, the WAF, a TLS 1.2+ policy, dropped invalid headers and access logs.',
      },
      {
        id: 'MLF-VPC-8',
        reason: 'Shield Advanced (USD 3,000/month, one-year commitment) is not bought: Shield Standard applies automatically, the WAF rate-based rule limits floods and the listener authenticates every request.',
      },
      ...(config.deletionProtection
        ? []
        : [{ id: 'MLF-ALB-3', reason: 'Deletion protection is off by configuration (edge.deletionProtection = false), which config validation allows only outside production.' }]),
    ]);

    this.targetGroup = new LbTargetGroup(this, 'target-group', {
      name: config.targetGroupName,
      port: CONTAINER_PORT,
      protocol: 'HTTP',
      vpcId: props.vpcId,
      targetType: 'ip',
      deregistrationDelay: String(config.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        path: HEALTH_CHECK_PATH,
        protocol: 'HTTP',
        matcher: '200',
        healthyThreshold: 2,
        unhealthyThreshold: 3,
        timeout: 5,
        interval: 30,
      },
    });
    suppress(this.targetGroup, [
      { id: 'MLF-ALB-12', reason: 'TLS terminates at the ALB; the ALB-to-task hop on the container port stays in private subnets and is admitted only from the ALB security group.' },
    ]);

    this.httpListener = new LbListener(this, 'http', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });

    this.certificateArn = config.certificate.mode === 'existing' ? config.certificate.arn : dnsValidatedCertificate(this, config.hostname, config.hostedZoneId);

    const auth = this.authenticateAction(config, props.region);
    this.httpsListener = new LbListener(this, 'https', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: TLS_POLICY,
      certificateArn: this.certificateArn,
      defaultAction: [auth, { type: 'forward', order: 2, targetGroupArn: this.targetGroup.arn }],
    });

    new Route53Record(this, 'alias', {
      zoneId: config.hostedZoneId,
      name: config.hostname,
      type: 'A',
      alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
    });
    this.url = `https://${config.hostname}`;
  }

  private authenticateAction(config: EdgeConfig, region: string): LbListenerDefaultAction {
    const auth = config.auth;
    if (auth.type === 'cognito') {
      const pool = new CognitoUserPool(this, 'user-pool', {
        name: auth.userPoolName,
        deletionProtection: 'ACTIVE',
        mfaConfiguration: 'OPTIONAL',
        softwareTokenMfaConfiguration: { enabled: true },
        adminCreateUserConfig: { allowAdminCreateUserOnly: true },
        autoVerifiedAttributes: ['email'],
        usernameAttributes: ['email'],
        passwordPolicy: {
          minimumLength: 14,
          requireLowercase: true,
          requireUppercase: true,
          requireNumbers: true,
          requireSymbols: true,
          temporaryPasswordValidityDays: 3,
        },
        accountRecoverySetting: { recoveryMechanism: [{ name: 'verified_email', priority: 1 }] },
      });
      this.userPool = pool;
      suppress(pool, [
        {
          id: 'MLF-COG-3',
          reason: 'Threat protection needs the Cognito Plus feature plan at a per-user monthly cost; users are admin-created only, MFA is available and sessions are bounded at the listener.',
        },
      ]);
      const client = new CognitoUserPoolClient(this, 'user-pool-client', {
        name: `${config.loadBalancerName}-mlflow`,
        userPoolId: pool.id,
        generateSecret: true,
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ['code'],
        allowedOauthScopes: ['openid', 'email'],
        callbackUrls: [`https://${config.hostname}/oauth2/idpresponse`],
        supportedIdentityProviders: ['COGNITO'],
        preventUserExistenceErrors: 'ENABLED',
        explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        enableTokenRevocation: true,
      });
      const domain = new CognitoUserPoolDomain(this, 'user-pool-domain', { domain: auth.domainPrefix, userPoolId: pool.id });
      return {
        type: 'authenticate-cognito',
        order: 1,
        authenticateCognito: {
          userPoolArn: pool.arn,
          userPoolClientId: client.id,
          userPoolDomain: domain.domain,
          onUnauthenticatedRequest: 'authenticate',
          scope: 'openid email',
          sessionTimeout: auth.sessionTimeoutSeconds,
        },
      };
    }
    const secret = new TerraformVariable(TerraformStack.of(this), OIDC_CLIENT_SECRET_VARIABLE, {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: `Client secret of the OIDC client "${auth.clientId}" (${auth.issuer}); set TF_VAR_${OIDC_CLIENT_SECRET_VARIABLE} or a sensitive Terraform Cloud variable. Region: ${region}.`,
    });
    return {
      type: 'authenticate-oidc',
      order: 1,
      authenticateOidc: {
        issuer: auth.issuer,
        authorizationEndpoint: auth.authorizationEndpoint,
        tokenEndpoint: auth.tokenEndpoint,
        userInfoEndpoint: auth.userInfoEndpoint,
        clientId: auth.clientId,
        clientSecret: secret.stringValue,
        onUnauthenticatedRequest: 'authenticate',
        scope: auth.scope ?? 'openid email',
        sessionTimeout: auth.sessionTimeoutSeconds,
      },
    };
  }
}

/**
 * An ACM certificate for `hostname`, DNS-validated through Route53 records in `hostedZoneId`;
 * returns the validated ARN (listeners that use it wait for validation). The resources are created
 * in `scope` with the ids `certificate`, `certificate-validation` and `certificate-validated`.
 */
export function dnsValidatedCertificate(scope: Construct, hostname: string, hostedZoneId: string): string {
  const certificate = new AcmCertificate(scope, 'certificate', {
    domainName: hostname,
    validationMethod: 'DNS',
    keyAlgorithm: 'RSA_2048',
    lifecycle: { createBeforeDestroy: true },
  });
  const options = TerraformIterator.fromComplexList(certificate.domainValidationOptions, 'domain_name');
  const records = new Route53Record(scope, 'certificate-validation', {
    forEach: options,
    zoneId: hostedZoneId,
    name: options.getString('resource_record_name'),
    type: options.getString('resource_record_type'),
    records: [options.getString('resource_record_value')],
    ttl: 300,
    allowOverwrite: true,
  });
  const validation = new AcmCertificateValidation(scope, 'certificate-validated', {
    certificateArn: certificate.arn,
    validationRecordFqdns: TerraformIterator.fromResources(records).pluckProperty('fqdn') as unknown as string[],
  });
  return validation.certificateArn;
}
