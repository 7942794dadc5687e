#!/usr/bin/env python3
"""Out-of-band AWS calls of the cut-over rehearsal (src/rehearsal/cutover.ts), in one place.

Everything here talks to the AWS API emulator (moto) the rehearsal started, never to AWS: the
endpoint is required and the credentials are dummies. The names to look up come from the caller as
JSON on stdin, so this script knows no resource names of its own.

  seed      put objects into a bucket (the data the cut-over must keep)
  identity  the ids that prove identity: VPC, subnets, security groups, load balancers, target
            groups, ECS cluster and service, IAM roles, the DB's DbiResourceId, a secret's string,
            and a bucket's object ETags read through ListObjectsV2 (the stack's TLS-only bucket
            policy denies plain-HTTP GetObject, so objects are compared by listing, not reading)
  drift     change things outside Terraform: open a port to 0.0.0.0/0 on a security group, tag a
            bucket, change a log group's retention, suspend a bucket's versioning, delete an alarm

Output: one JSON document on stdout. Any lookup that finds nothing, or more than one object where
one is expected, is an error (exit 1) naming what was looked up.
"""
import argparse
import json
import sys

import boto3

REGION = "us-east-1"


class LookupError_(Exception):
    pass


def clients(endpoint):
    session = boto3.session.Session(aws_access_key_id="AKIAREHEARSAL0000000", aws_secret_access_key="rehearsal-dummy-secret-key", region_name=REGION)
    config = boto3.session.Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2})
    return lambda service: session.client(service, endpoint_url=endpoint, config=config)


def one(items, what):
    if len(items) != 1:
        raise LookupError_(f"{what}: expected exactly one, found {len(items)}")
    return items[0]


def seed(client, spec):
    s3 = client("s3")
    for key, body in sorted(spec["objects"].items()):
        s3.put_object(Bucket=spec["bucket"], Key=key, Body=body.encode("utf-8"))
    return {"bucket": spec["bucket"], "objects": sorted(spec["objects"])}


def object_etags(s3, bucket):
    etags = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for o in page.get("Contents", []):
            etags[o["Key"]] = o["ETag"]
    return etags


def identity(client, spec):
    ec2, elbv2, ecs, iam, rds, sm, s3 = (client(s) for s in ("ec2", "elbv2", "ecs", "iam", "rds", "secretsmanager", "s3"))
    out = {}
    vpc = one(ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [spec["vpcName"]]}])["Vpcs"], f"VPC tagged Name={spec['vpcName']}")
    out["vpc"] = vpc["VpcId"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
    out["subnets"] = {s["CidrBlock"]: s["SubnetId"] for s in subnets}
    for cidr in spec["subnetCidrs"]:
        if cidr not in out["subnets"]:
            raise LookupError_(f"subnet {cidr} in {vpc['VpcId']}: not found")
    out["securityGroups"] = {}
    for name in spec["securityGroups"]:
        groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [name]}, {"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["SecurityGroups"]
        out["securityGroups"][name] = one(groups, f"security group {name}")["GroupId"]
    out["loadBalancers"] = {n: one(elbv2.describe_load_balancers(Names=[n])["LoadBalancers"], f"load balancer {n}")["LoadBalancerArn"] for n in spec["loadBalancers"]}
    out["targetGroups"] = {n: one(elbv2.describe_target_groups(Names=[n])["TargetGroups"], f"target group {n}")["TargetGroupArn"] for n in spec["targetGroups"]}
    clusters = [c for c in ecs.describe_clusters(clusters=[spec["cluster"]])["clusters"] if c.get("status") == "ACTIVE"]
    out["cluster"] = one(clusters, f"ECS cluster {spec['cluster']}")["clusterArn"]
    services = [s for s in ecs.describe_services(cluster=spec["cluster"], services=[spec["service"]])["services"] if s.get("status") == "ACTIVE"]
    service = one(services, f"ECS service {spec['service']}")
    out["service"] = service["serviceArn"]
    out["serviceTaskDefinition"] = service["taskDefinition"]
    out["roles"] = {n: iam.get_role(RoleName=n)["Role"]["RoleId"] for n in spec["roles"]}
    db = one(rds.describe_db_instances(DBInstanceIdentifier=spec["dbInstance"])["DBInstances"], f"DB instance {spec['dbInstance']}")
    out["db"] = {"DbiResourceId": db["DbiResourceId"], "DBInstanceArn": db["DBInstanceArn"]}
    secret = sm.get_secret_value(SecretId=spec["secret"])
    out["secret"] = {"ARN": secret["ARN"], "SecretString": secret["SecretString"]}
    out["objects"] = object_etags(s3, spec["bucket"])
    return out


def drift(client, spec):
    ec2, s3, logs = client("ec2"), client("s3"), client("logs")
    done = []
    sg = spec["openPort"]
    group = one(ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [sg["securityGroup"]]}])["SecurityGroups"], f"security group {sg['securityGroup']}")
    ec2.authorize_security_group_ingress(
        GroupId=group["GroupId"],
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": sg["port"], "ToPort": sg["port"], "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "opened outside Terraform"}]}],
    )
    done.append(f"{sg['securityGroup']}: ingress tcp/{sg['port']} from 0.0.0.0/0")
    tag = spec["bucketTag"]
    tags = s3.get_bucket_tagging(Bucket=tag["bucket"]).get("TagSet", []) if tag.get("keepExisting", True) else []
    s3.put_bucket_tagging(Bucket=tag["bucket"], Tagging={"TagSet": [t for t in tags if t["Key"] != tag["key"]] + [{"Key": tag["key"], "Value": tag["value"]}]})
    done.append(f"{tag['bucket']}: tag {tag['key']}={tag['value']}")
    lg = spec["logRetention"]
    logs.put_retention_policy(logGroupName=lg["logGroup"], retentionInDays=lg["days"])
    done.append(f"{lg['logGroup']}: retention {lg['days']} days")
    s3.put_bucket_versioning(Bucket=spec["suspendVersioning"], VersioningConfiguration={"Status": "Suspended"})
    done.append(f"{spec['suspendVersioning']}: versioning suspended")
    if "deleteAlarm" in spec:
        cloudwatch = client("cloudwatch")
        one(cloudwatch.describe_alarms(AlarmNames=[spec["deleteAlarm"]])["MetricAlarms"], f"alarm {spec['deleteAlarm']}")
        cloudwatch.delete_alarms(AlarmNames=[spec["deleteAlarm"]])
        done.append(f"alarm {spec['deleteAlarm']}: deleted")
    return {"changed": done}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["seed", "identity", "drift"])
    parser.add_argument("--endpoint", required=True, help="the emulator, e.g. http://127.0.0.1:40123")
    args = parser.parse_args()
    if not args.endpoint.startswith("http://127.0.0.1:"):
        parser.error(f"--endpoint {args.endpoint}: only a loopback emulator (http://127.0.0.1:<port>) is allowed")
    spec = json.load(sys.stdin)
    client = clients(args.endpoint)
    try:
        result = {"seed": seed, "identity": identity, "drift": drift}[args.command](client, spec)
    except (LookupError_, KeyError) as err:
        print(f"rehearsal-aws {args.command}: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # botocore errors: the API's own message
        print(f"rehearsal-aws {args.command}: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
