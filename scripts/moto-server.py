#!/usr/bin/env python3
"""moto 5.2.1's server with the emulator gaps our stacks hit filled in.

Started by the rehearsal runner (src/rehearsal/moto.ts); usable by hand:

    python3 scripts/moto-server.py --port 45123 [--hosted-zone Z0123456789ABCDEFGHIJ=example.com]...

Prints "moto-server ready on http://127.0.0.1:<port>" on stdout once it accepts connections.

Every patch below names the moto module it fills and why real AWS behaves the way the patch makes
moto behave. Patches only make moto answer as AWS does; they never relax a check AWS makes, and our
stacks are never changed to please the emulator (a failure AWS would also produce is a bug in a stack).
"""
import argparse
import contextlib
import fnmatch
import json
import os
import signal
import sys
import threading

# Settings moto reads when its modules are imported, so they are set before the first import.
# AWS managed policies (arn:aws:iam::aws:policy/...) exist in every real account; moto only knows
# them when told to load them (moto/iam/models.py, settings.iam_load_managed_policies).
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
# ACM: a DNS-validated certificate becomes ISSUED once its CNAME records resolve; the rehearsal
# creates the records, so waiting moto's default 60 s only slows the certificate validation wait
# (moto/settings.py ACM_VALIDATION_WAIT, used by moto/acm/models.py).
os.environ.setdefault("MOTO_ACM_VALIDATION_WAIT", "0")
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

PATCHES = []


def patch(name):
    """Registers a patch under a short name (listed by --list-patches, reported at start-up)."""

    def register(fn):
        PATCHES.append((name, fn))
        return fn

    return register


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@patch("s3: PutBucketLogging accepts any policy grant to logging.s3.amazonaws.com")
def _s3_logging_policy():
    # moto/s3/models.py FakeBucket._log_permissions_enabled_policy assumes every statement's
    # Principal is an object (a TLS-only Deny with "Principal": "*" crashes it with AttributeError,
    # a 500) and compares Resource to three exact strings. Real S3 evaluates the target bucket's
    # policy: an Allow to the logging service principal for s3:PutObject on a resource pattern that
    # covers the log prefix (a list, a wildcard, a condition on aws:SourceAccount) is enough.
    from moto.s3.models import FakeBucket
    from moto.s3.utils import LOGGING_SERVICE_PRINCIPAL

    def _log_permissions_enabled_policy(target_bucket, target_prefix):
        if not target_bucket.policy:
            return False
        document = json.loads(target_bucket.policy.decode())
        object_arn = f"arn:{target_bucket.partition}:s3:::{target_bucket.name}/{target_prefix or ''}"
        for stmt in _as_list(document.get("Statement")):
            principal = stmt.get("Principal")
            services = _as_list(principal.get("Service")) if isinstance(principal, dict) else []
            if LOGGING_SERVICE_PRINCIPAL not in services or stmt.get("Effect") != "Allow":
                continue
            if not any(fnmatch.fnmatchcase("s3:PutObject", a) for a in _as_list(stmt.get("Action"))):
                continue
            if any(fnmatch.fnmatchcase(object_arn + "x", r) or fnmatch.fnmatchcase(object_arn, r) for r in _as_list(stmt.get("Resource"))):
                return True
        return False

    FakeBucket._log_permissions_enabled_policy = staticmethod(_log_permissions_enabled_policy)


@patch("s3: new buckets have default encryption SSE-S3")
def _s3_default_encryption():
    # moto/s3/models.py FakeBucket starts with encryption = None, so GetBucketEncryption answers
    # ServerSideEncryptionConfigurationNotFoundError. Since January 2023 every S3 bucket has SSE-S3
    # (AES256) as its default encryption, and DeleteBucketEncryption resets it to SSE-S3.
    from moto.s3.models import FakeBucket, S3Backend

    default = lambda: {"Rule": {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": "false"}}
    original_init = FakeBucket.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.encryption = default()

    FakeBucket.__init__ = __init__

    def delete_bucket_encryption(self, bucket_name):
        self.get_bucket(bucket_name).encryption = default()

    S3Backend.delete_bucket_encryption = delete_bucket_encryption


@patch("application-autoscaling: TagResource, UntagResource, ListTagsForResource")
def _appautoscaling_tags():
    # moto/applicationautoscaling/responses.py has no tagging actions (the provider reads tags after
    # every create and gets "not implemented"). Application Auto Scaling has supported tags on
    # scalable targets since 2023; RegisterScalableTarget takes Tags, ListTagsForResource takes the
    # target's ARN.
    from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse

    def tags_of(backend):
        if not hasattr(backend, "_rehearsal_tags"):
            backend._rehearsal_tags = {}
        return backend._rehearsal_tags

    def list_tags_for_resource(self):
        arn = self._get_param("ResourceARN")
        return json.dumps({"Tags": tags_of(self.applicationautoscaling_backend).get(arn, {})})

    def tag_resource(self):
        arn = self._get_param("ResourceARN")
        tags_of(self.applicationautoscaling_backend).setdefault(arn, {}).update(self._get_param("Tags") or {})
        return "{}"

    def untag_resource(self):
        arn = self._get_param("ResourceARN")
        held = tags_of(self.applicationautoscaling_backend).setdefault(arn, {})
        for key in self._get_param("TagKeys") or []:
            held.pop(key, None)
        return "{}"

    original_register_response = ApplicationAutoScalingResponse.register_scalable_target

    def register_scalable_target_response(self):
        body = original_register_response(self)
        tags = self._get_param("Tags")
        if tags:
            arn = json.loads(body).get("ScalableTargetARN")
            if arn:
                tags_of(self.applicationautoscaling_backend).setdefault(arn, {}).update(tags)
        return body

    ApplicationAutoScalingResponse.register_scalable_target = register_scalable_target_response
    ApplicationAutoScalingResponse.list_tags_for_resource = list_tags_for_resource
    ApplicationAutoScalingResponse.tag_resource = tag_resource
    ApplicationAutoScalingResponse.untag_resource = untag_resource


# Route53 alias hosted zone of regional API Gateway endpoints per region (AWS General Reference,
# "Amazon API Gateway endpoints and quotas").
APIGATEWAY_REGIONAL_ZONES = {"us-east-1": "Z1UJRXOUMOOFQ8", "us-east-2": "ZOJJZC49E0EPZ", "us-west-2": "Z2OJLYMUO9EFXC", "eu-west-1": "ZLY8HYME6SFDD"}


@patch("apigatewayv2: domain names report DomainNameStatus AVAILABLE, ApiGatewayDomainName and HostedZoneId")
def _apigatewayv2_domain_status():
    # moto/apigatewayv2/models.py DomainName.to_json returns the configurations as given: without
    # DomainNameStatus the provider's wait for AVAILABLE never ends, and without ApiGatewayDomainName
    # (d-<id>.execute-api.<region>.amazonaws.com) and HostedZoneId a Route53 alias to the domain gets
    # empty values. On AWS a regional custom domain with an ISSUED certificate becomes AVAILABLE
    # within seconds and always reports both (the alias target of the custom domain).
    import hashlib

    from moto.apigatewayv2.models import DomainName

    original = DomainName.to_json

    def to_json(self):
        out = original(self)
        region = self.domain_name_arn.split(":")[3]
        target = "d-" + hashlib.sha256(self.domain_name.encode()).hexdigest()[:10] + f".execute-api.{region}.amazonaws.com"
        # Without mutual TLS configured AWS omits mutualTlsAuthentication; moto echoes the request's
        # default {} (the provider then sees an empty truststore block appear after every apply).
        if not out.get("mutualTlsAuthentication"):
            out.pop("mutualTlsAuthentication", None)
        out["domainNameConfigurations"] = [
            {
                "domainNameStatus": "AVAILABLE",
                "domainNameStatusMessage": "",
                "apiGatewayDomainName": target,
                "hostedZoneId": APIGATEWAY_REGIONAL_ZONES.get(region, "Z1UJRXOUMOOFQ8"),
                **c,
            }
            for c in (out.get("domainNameConfigurations") or [])
        ]
        return out

    DomainName.to_json = to_json


@patch("logs: AssociateKmsKey, DisassociateKmsKey")
def _logs_kms():
    # moto/logs/responses.py implements CreateLogGroup's kmsKeyId but not AssociateKmsKey, which the
    # provider calls when a log group's kms_key_id is set after creation (or changed). CloudWatch
    # Logs sets the group's kmsKeyId; DisassociateKmsKey removes it.
    from moto.logs.responses import LogsResponse
    from moto.logs.exceptions import ResourceNotFoundException

    def group(self):
        name = self._get_param("logGroupName")
        found = self.logs_backend.groups.get(name)
        if found is None:
            raise ResourceNotFoundException()
        return found

    def associate_kms_key(self):
        group(self).kms_key_id = self._get_param("kmsKeyId")
        return ""

    def disassociate_kms_key(self):
        group(self).kms_key_id = None
        return ""

    LogsResponse.associate_kms_key = associate_kms_key
    LogsResponse.disassociate_kms_key = disassociate_kms_key


@patch("rds: parameters set through Create/ModifyDB(Cluster)ParameterGroup have Source=user")
def _rds_parameter_source():
    # moto/rds/models.py DBParameterGroup/DBClusterParameterGroup store parameters exactly as sent,
    # without "Source". The provider reads DescribeDBParameters(Source=user) back into state and
    # drops parameters without it, so every parameter would show as a perpetual diff. On AWS a
    # parameter the customer set always reports Source=user.
    from moto.rds import models

    for cls_name in ("DBParameterGroup", "DBClusterParameterGroup"):
        cls = getattr(models, cls_name, None)
        if cls is None or not hasattr(cls, "update_parameters"):
            continue
        original = cls.update_parameters

        def update_parameters(self, new_parameters, _original=original):
            _original(self, [{**p, "Source": p.get("Source") or "user"} for p in new_parameters])

        cls.update_parameters = update_parameters


@patch("kms: EnableKeyRotation keeps RotationPeriodInDays; GetKeyRotationStatus returns it")
def _kms_rotation_period():
    # moto/kms/responses.py enable_key_rotation ignores RotationPeriodInDays and
    # get_key_rotation_status answers only KeyRotationEnabled, so the provider reads the period as 0.
    # KMS stores the period (90-2560 days, default 365) and returns it while rotation is enabled.
    from moto.kms.responses import KmsResponse

    periods = {}
    original_enable = KmsResponse.enable_key_rotation
    original_status = KmsResponse.get_key_rotation_status

    def enable_key_rotation(self):
        body = original_enable(self)
        key = self.kms_backend.describe_key(self._get_param("KeyId"))
        periods[key.id] = self._get_param("RotationPeriodInDays") or 365
        return body

    def get_key_rotation_status(self):
        body = json.loads(original_status(self))
        if body.get("KeyRotationEnabled"):
            key = self.kms_backend.describe_key(self._get_param("KeyId"))
            body["RotationPeriodInDays"] = periods.get(key.id, 365)
            body["KeyId"] = key.id
        return json.dumps(body)

    KmsResponse.enable_key_rotation = enable_key_rotation
    KmsResponse.get_key_rotation_status = get_key_rotation_status


@patch("rds: ScalingConfigurationInfo only for Serverless v1 (engine mode serverless) clusters")
def _rds_scaling_configuration():
    # moto/rds/models.py DBCluster.scaling_configuration_info always returns a dict (of None values),
    # so a provisioned or Serverless v2 cluster shows a scaling_configuration block after apply.
    # RDS returns ScalingConfigurationInfo only for engine mode "serverless" (Serverless v1).
    from moto.rds.models import DBCluster

    original = DBCluster.scaling_configuration_info

    def scaling_configuration_info(self):
        return original.fget(self) if self.engine_mode == "serverless" else None

    DBCluster.scaling_configuration_info = property(scaling_configuration_info)


@contextlib.contextmanager
def chosen_id(module, generator, object_id):
    # moto/ec2/utils.py makes random ids, imported by name into each model module: while this is
    # active, `module`'s generator hands out `object_id`, so a precondition exists under its configured id.
    original = getattr(module, generator)
    setattr(module, generator, lambda: object_id)
    try:
        yield
    finally:
        setattr(module, generator, original)


def create_security_groups(ids):
    # A precondition: the stacks allow traffic from security groups that exist outside them
    # (config apiAccess.allowedSecurityGroupIds, e.g. the training jobs' group). They are created
    # in the account's default VPC under the configured ids (moto/ec2/utils.py makes random ids).
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ec2.models import ec2_backends
    from moto.ec2.models import security_groups

    backend = ec2_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    for group_id in ids:
        with chosen_id(security_groups, "random_security_group_id", group_id):
            backend.create_security_group(f"rehearsal-precondition-{group_id}", "exists before the stack (a client of the service)")


def create_hosted_zones(zones):
    # Not a gap but a precondition: the stacks reference the team's existing hosted zone by id
    # (config edge.hostedZoneId). moto/route53/models.py generates random zone ids; its id manager
    # (moto/utilities/id_generator.py) lets the zone be created under the configured id.
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.route53.models import HostedZoneIdentifier, route53_backends
    from moto.utilities.id_generator import moto_id_manager

    backend = route53_backends[DEFAULT_ACCOUNT_ID]["aws"]
    for spec in zones:
        zone_id, _, name = spec.partition("=")
        if not zone_id or not name:
            raise SystemExit(f"--hosted-zone {spec!r}: expected ID=NAME, e.g. Z0123456789ABCDEFGHIJ=example.com")
        moto_id_manager.set_custom_id(HostedZoneIdentifier(DEFAULT_ACCOUNT_ID, name + ".", None), zone_id)
        backend.create_hosted_zone(name + ".", private_zone=False, comment="pre-created by scripts/moto-server.py")


def create_buckets(names):
    # A precondition too: objects a stack adopts with import blocks exist before it is applied.
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    for name in names:
        s3_backends[DEFAULT_ACCOUNT_ID]["aws"].create_bucket(name, "us-east-1")


def create_transit_gateways(ids):
    # A precondition like the client security groups: network.clientRoutes send client networks'
    # traffic through a transit gateway that exists outside the stack. moto/ec2/models/route_tables.py
    # keeps a route's TransitGatewayId only when the gateway exists (else DescribeRouteTables omits it
    # and every re-plan shows the route changing), so it is created under the configured id
    # (moto/ec2/utils.py makes random ids). On AWS, CreateRoute refuses an unknown gateway.
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ec2.models import ec2_backends
    from moto.ec2.models import transit_gateway

    backend = ec2_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    for gateway_id in ids:
        with chosen_id(transit_gateway, "random_transit_gateway_id", gateway_id):
            backend.create_transit_gateway("exists before the stack (the client networks' side)")


def create_routes(specs):
    # A precondition like the buckets: production adopts the legacy private route table's default
    # route with an import block (id "<route table id>_<CIDR>"). Without the legacy stack, the route
    # table is created under that id (moto/ec2/utils.py makes random ids) in the default VPC, with
    # the route to an internet gateway.
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ec2.models import ec2_backends
    from moto.ec2.models import route_tables

    backend = ec2_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    vpc = next(v for v in backend.vpcs.values() if v.is_default)
    for spec in specs:
        table_id, sep, cidr = spec.rpartition("_")
        if not sep or not table_id.startswith("rtb-") or "/" not in cidr:
            raise SystemExit(f"--route {spec!r}: expected <route table id>_<CIDR>, e.g. rtb-0abc_0.0.0.0/0")
        if table_id not in backend.route_tables:
            with chosen_id(route_tables, "random_route_table_id", table_id):
                backend.create_route_table(vpc.id)
        igw = backend.create_internet_gateway()
        backend.attach_internet_gateway(igw.id, vpc.id)
        backend.create_route(table_id, cidr, gateway_id=igw.id)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, required=False, help="port to bind")
    parser.add_argument("--hosted-zone", action="append", default=[], metavar="ID=NAME", help="pre-create a Route53 hosted zone with this id")
    parser.add_argument("--bucket", action="append", default=[], metavar="NAME", help="pre-create an S3 bucket in us-east-1")
    parser.add_argument("--security-group", action="append", default=[], metavar="ID", help="pre-create a security group with this id in the default VPC of us-east-1")
    parser.add_argument("--route", action="append", default=[], metavar="RTB_CIDR", help="pre-create a route (import id <route table id>_<CIDR>) in the default VPC of us-east-1")
    parser.add_argument("--transit-gateway", action="append", default=[], metavar="ID", help="pre-create a transit gateway with this id in us-east-1")
    parser.add_argument("--list-patches", action="store_true", help="print the patches and exit")
    args = parser.parse_args(argv)
    if args.list_patches:
        for name, _ in PATCHES:
            print(name)
        return 0
    if args.port is None:
        parser.error("--port is required")

    for _, fn in PATCHES:
        fn()
    create_hosted_zones(args.hosted_zone)
    create_buckets(args.bucket)
    create_security_groups(args.security_group)
    create_routes(args.route)
    create_transit_gateways(args.transit_gateway)

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(args.host, args.port, app, threaded=True)
    stop = threading.Event()

    def shutdown(*_):
        stop.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    print(f"moto-server ready on http://{args.host}:{args.port} ({len(PATCHES)} patches)", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
