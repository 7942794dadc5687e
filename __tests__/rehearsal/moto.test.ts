/**
 * The emulator wrapper, for real: scripts/moto-server.py started through startMoto, then each
 * patched call exercised with boto3 (the same python that runs moto). Each assertion fails on
 * plain moto 5.2.1 (the gap the patch fills).
 */
import * as net from 'node:net';
import { spawnSync } from 'node:child_process';
import { freePort, motoArgs, MOTO_SCRIPT, MotoServer, startMoto } from '../../src/rehearsal/moto';

const hasMoto = spawnSync('python3', ['-c', 'import moto, boto3'], { encoding: 'utf8' }).status === 0;
// Missing moto fails these tests (loudly); MLFLOW_INFRA_ALLOW_NO_MOTO=1 turns that into a reported skip.
const describeMoto = hasMoto || process.env.MLFLOW_INFRA_ALLOW_NO_MOTO !== '1' ? describe : describe.skip;
if (!hasMoto) console.warn('!!! python3 with moto 5.2.1 and boto3 is missing: the emulator tests ' + (process.env.MLFLOW_INFRA_ALLOW_NO_MOTO === '1' ? 'are SKIPPED' : 'will FAIL'));

test('freePort gives a port that can be bound on 127.0.0.1', async () => {
  const port = await freePort();
  expect(port).toBeGreaterThan(1023);
  await new Promise<void>((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
  });
});

test('motoArgs passes the preconditions sorted, so the command line is deterministic', () => {
  expect(motoArgs(4000, { hostedZones: { ZB: 'b.example.com', ZA: 'a.example.com' }, buckets: ['y', 'x'], securityGroups: ['sg-2', 'sg-1'], routes: ['rtb-2_0.0.0.0/0', 'rtb-1_0.0.0.0/0'], transitGateways: ['tgw-2', 'tgw-1'] })).toEqual([
    MOTO_SCRIPT, '--port', '4000',
    '--hosted-zone', 'ZA=a.example.com', '--hosted-zone', 'ZB=b.example.com',
    '--bucket', 'x', '--bucket', 'y',
    '--security-group', 'sg-1', '--security-group', 'sg-2',
    '--route', 'rtb-1_0.0.0.0/0', '--route', 'rtb-2_0.0.0.0/0',
    '--transit-gateway', 'tgw-1', '--transit-gateway', 'tgw-2',
  ]);
});

/** Runs a boto3 snippet against the server; `c(service)` makes a client; the snippet prints JSON. */
function boto(server: MotoServer, code: string): unknown {
  const prelude = [
    'import boto3, json',
    `def c(service): return boto3.client(service, endpoint_url=${JSON.stringify(server.endpoint)}, region_name="us-east-1", aws_access_key_id="AKIAREHEARSAL0000000", aws_secret_access_key="x")`,
  ].join('\n');
  const r = spawnSync('python3', ['-c', `${prelude}\n${code}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describeMoto('scripts/moto-server.py', () => {
  let server: MotoServer;
  beforeAll(async () => {
    server = await startMoto({ hostedZones: { Z0123456789ABCDEFGHIJ: 'example.com' }, buckets: ['fraud-scoring-adopted-123456789012'], securityGroups: ['sg-0123456789abcdef0'], routes: ['rtb-0prv0prv0prv0prv0_0.0.0.0/0'], transitGateways: ['tgw-0123456789abcdef0'] });
  });
  afterAll(async () => server?.stop());

  test('listens on the loopback endpoint it reports, and stops', async () => {
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
    const other = await startMoto();
    expect(other.port).not.toBe(server.port);
    await other.stop();
    await other.stop(); // idempotent
    await expect(fetch(`${other.endpoint}/moto-api/`)).rejects.toThrow();
  });

  test('preconditions exist: the hosted zone under its configured id, the adopted bucket, the client security group', () => {
    expect(
      boto(server, `print(json.dumps([c("route53").get_hosted_zone(Id="Z0123456789ABCDEFGHIJ")["HostedZone"]["Name"], c("s3").head_bucket(Bucket="fraud-scoring-adopted-123456789012")["ResponseMetadata"]["HTTPStatusCode"], c("ec2").describe_security_groups(GroupIds=["sg-0123456789abcdef0"])["SecurityGroups"][0]["GroupId"]]))`),
    ).toEqual(['example.com.', 200, 'sg-0123456789abcdef0']);
  });

  test('preconditions: a client network\'s transit gateway exists under its configured id, and a route through it keeps it', () => {
    expect(
      boto(server, `e=c("ec2"); g=e.describe_transit_gateways(TransitGatewayIds=["tgw-0123456789abcdef0"])["TransitGateways"][0]["TransitGatewayId"]
v=e.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]; t=e.create_route_table(VpcId=v)["RouteTable"]["RouteTableId"]
e.create_route(RouteTableId=t, DestinationCidrBlock="10.100.0.0/16", TransitGatewayId=g)
print(json.dumps([g, [r.get("TransitGatewayId") for r in e.describe_route_tables(RouteTableIds=[t])["RouteTables"][0]["Routes"] if r.get("DestinationCidrBlock") == "10.100.0.0/16"]]))`),
    ).toEqual(['tgw-0123456789abcdef0', ['tgw-0123456789abcdef0']]);
  });

  test('preconditions: an adopted route exists under its import id (route table id and destination)', () => {
    expect(
      boto(server, `t=c("ec2").describe_route_tables(RouteTableIds=["rtb-0prv0prv0prv0prv0"])["RouteTables"][0]; print(json.dumps([t["RouteTableId"], [r["DestinationCidrBlock"] for r in t["Routes"] if r.get("GatewayId", "").startswith("igw-")]]))`),
    ).toEqual(['rtb-0prv0prv0prv0prv0', ['0.0.0.0/0']]);
  });

  test('S3: a new bucket has SSE-S3 default encryption, and deleting the configuration restores it', () => {
    expect(
      boto(server, `s3=c("s3"); s3.create_bucket(Bucket="enc-check"); a=s3.get_bucket_encryption(Bucket="enc-check")["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
s3.put_bucket_encryption(Bucket="enc-check", ServerSideEncryptionConfiguration={"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"}}]}); s3.delete_bucket_encryption(Bucket="enc-check")
print(json.dumps([a, s3.get_bucket_encryption(Bucket="enc-check")["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]]))`),
    ).toEqual(['AES256', 'AES256']);
  });

  test('S3: PutBucketLogging accepts a target whose policy has a TLS-only Deny with "Principal": "*" and a wildcard grant', () => {
    expect(
      boto(server, `s3=c("s3"); s3.create_bucket(Bucket="log-target"); s3.create_bucket(Bucket="log-source")
s3.put_bucket_policy(Bucket="log-target", Policy=json.dumps({"Version":"2012-10-17","Statement":[
  {"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::log-target","arn:aws:s3:::log-target/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},
  {"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::log-target/s3/*","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}))
s3.put_bucket_logging(Bucket="log-source", BucketLoggingStatus={"LoggingEnabled":{"TargetBucket":"log-target","TargetPrefix":"s3/log-source/"}})
denied = None
try:
  s3.put_bucket_logging(Bucket="log-source", BucketLoggingStatus={"LoggingEnabled":{"TargetBucket":"log-target","TargetPrefix":"other/"}})
except Exception as e:
  denied = e.response["Error"]["Code"]
print(json.dumps([s3.get_bucket_logging(Bucket="log-source")["LoggingEnabled"]["TargetPrefix"], denied]))`),
    ).toEqual(['s3/log-source/', 'InvalidTargetBucketForLogging']);
  });

  test('Application Auto Scaling: tags given at registration are listed, tagged and untagged', () => {
    expect(
      boto(server, `ecs=c("ecs"); ecs.create_cluster(clusterName="c"); ecs.register_task_definition(family="f", containerDefinitions=[{"name":"x","image":"y","memory":128}]); ecs.create_service(cluster="c", serviceName="s", taskDefinition="f", desiredCount=1)
aas=c("application-autoscaling")
arn=aas.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/c/s", ScalableDimension="ecs:service:DesiredCount", MinCapacity=1, MaxCapacity=2, Tags={"Project":"fraud-scoring"})["ScalableTargetARN"]
aas.tag_resource(ResourceARN=arn, Tags={"Owner":"ml"}); aas.untag_resource(ResourceARN=arn, TagKeys=["Project"])
print(json.dumps(aas.list_tags_for_resource(ResourceARN=arn)["Tags"]))`),
    ).toEqual({ Owner: 'ml' });
  });

  test('API Gateway v2: a domain name is AVAILABLE with its alias target and zone, and no empty mutual TLS block', () => {
    expect(
      boto(server, `acm=c("acm"); cert=acm.request_certificate(DomainName="api.example.com", ValidationMethod="DNS")["CertificateArn"]
d=c("apigatewayv2").create_domain_name(DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn":cert,"EndpointType":"REGIONAL","SecurityPolicy":"TLS_1_2"}])
cfg=d["DomainNameConfigurations"][0]
print(json.dumps([cfg["DomainNameStatus"], cfg["HostedZoneId"], cfg["ApiGatewayDomainName"].endswith(".execute-api.us-east-1.amazonaws.com"), "MutualTlsAuthentication" in d]))`),
    ).toEqual(['AVAILABLE', 'Z1UJRXOUMOOFQ8', true, false]);
  });

  test('CloudWatch Logs: AssociateKmsKey and DisassociateKmsKey set and clear the key', () => {
    expect(
      boto(server, `logs=c("logs"); logs.create_log_group(logGroupName="/g"); key="arn:aws:kms:us-east-1:123456789012:key/abc"
logs.associate_kms_key(logGroupName="/g", kmsKeyId=key); a=logs.describe_log_groups(logGroupNamePrefix="/g")["logGroups"][0].get("kmsKeyId")
logs.disassociate_kms_key(logGroupName="/g"); b=logs.describe_log_groups(logGroupNamePrefix="/g")["logGroups"][0].get("kmsKeyId")
print(json.dumps([a, b]))`),
    ).toEqual(['arn:aws:kms:us-east-1:123456789012:key/abc', null]);
  });

  test('RDS: parameters a user sets report Source=user; a provisioned cluster has no ScalingConfigurationInfo', () => {
    expect(
      boto(server, `rds=c("rds"); rds.create_db_parameter_group(DBParameterGroupName="pg", DBParameterGroupFamily="postgres16", Description="d")
rds.modify_db_parameter_group(DBParameterGroupName="pg", Parameters=[{"ParameterName":"log_min_duration_statement","ParameterValue":"500","ApplyMethod":"immediate"}])
p=rds.describe_db_parameters(DBParameterGroupName="pg")["Parameters"][0]
cl=rds.create_db_cluster(DBClusterIdentifier="cl", Engine="aurora-postgresql", MasterUsername="u", MasterUserPassword="password123", ServerlessV2ScalingConfiguration={"MinCapacity":0.5,"MaxCapacity":2})["DBCluster"]
print(json.dumps([p["ParameterName"], p.get("Source"), "ScalingConfigurationInfo" in cl]))`),
    ).toEqual(['log_min_duration_statement', 'user', false]);
  });

  test('KMS: the rotation period is kept and returned while rotation is enabled', () => {
    expect(
      boto(server, `kms=c("kms"); k=kms.create_key()["KeyMetadata"]["KeyId"]; kms.enable_key_rotation(KeyId=k, RotationPeriodInDays=180)
s=kms.get_key_rotation_status(KeyId=k); k2=kms.create_key()["KeyMetadata"]["KeyId"]; kms.enable_key_rotation(KeyId=k2)
print(json.dumps([s["KeyRotationEnabled"], s["RotationPeriodInDays"], kms.get_key_rotation_status(KeyId=k2)["RotationPeriodInDays"]]))`),
    ).toEqual([true, 180, 365]);
  });

  test('IAM: AWS managed policies exist (MOTO_IAM_LOAD_MANAGED_POLICIES)', () => {
    expect(boto(server, `print(json.dumps(c("iam").get_policy(PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")["Policy"]["PolicyName"]))`)).toBe(
      'AmazonECSTaskExecutionRolePolicy',
    );
  });
});
