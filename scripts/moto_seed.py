#!/usr/bin/env python3
"""Seeds a moto server with AWS resources for soc2scan's live-AWS tests and benchmark.

Usage: moto_seed.py ENDPOINT SCENARIO [COUNT]

Scenarios:
  basic       compliant and non-compliant resources in us-east-1 and eu-west-1
  pagination  COUNT DynamoDB tables in us-east-1 (ListTables pages hold 100)
  bench       about COUNT resources of 20 kinds (security groups, volumes, launch
              templates, tables, keys, queues, topics, buckets, log groups, secrets,
              repositories, streams, file systems, vaults, alarms, functions, REST
              APIs, databases, IAM users and roles) over us-east-1, eu-west-1,
              ap-southeast-2, and the resources of the scenarios iam, services,
              resources, messaging, datastores, functions, analytics, compute,
              monitoring, edge and graph (without their COUNT extras), so that every
              service the live scan reads but ECS and EMR has resources
  iam         IAM users with and without console access, MFA device and access keys,
              and roles with short and long maximum sessions
  services    CloudWatch Logs, GuardDuty, AWS Config and AWS Backup in us-east-1
              (compliant) and eu-west-1 (non-compliant)
  accounts    COUNT accounts (default 3) 111111111111, 222222222222, …, each with the
              role soc2scan-audit and a few resources in us-east-1, created through
              credentials of that role (sts AssumeRole)
  resources   EBS snapshots, AMIs, RDS parameter groups, CloudTrail event selectors,
              load balancer attributes and the account-level S3 public access block,
              each compliant and not (us-east-1; trails also in eu-west-1, ap-southeast-2)
  messaging   SQS queues and SNS topics: in us-east-1 a queue under a KMS key with a
              policy narrowed to the account, a queue with SSE-SQS and no policy, a topic
              under a KMS key; in eu-west-1 a queue without SSE and a topic without a key,
              both with a policy open to everyone; COUNT more topics under the key in
              us-east-1 (for pagination: moto pages ListTopics by 100, and returns at
              most 1,000 queues from ListQueues without a token)
  datastores  EFS, Kinesis, EKS, ElastiCache and MSK: compliant in us-east-1 (encrypted
              file system and stream, a private EKS endpoint with control-plane logs and
              a secrets key, an encrypted Redis group with backups, MSK over TLS),
              not in eu-west-1 (the opposite, and a Memcached cluster without TLS)
  functions   Lambda functions and their resource policies: in us-east-1 a function
              invoked by one bucket of the account (source ARN and account) and by one
              other account; in eu-west-1 a function anyone may invoke, and a function
              URL without authentication open to anyone
  analytics   Secrets Manager, ECR, OpenSearch and Redshift: compliant in us-east-1 (a
              secret under a customer key with a policy naming one account, an ECR
              repository under KMS scanning on push, an encrypted OpenSearch domain in
              a VPC with HTTPS, TLS 1.2 and audit and error logs, an encrypted Redshift
              cluster with audit logging and a custom parameter group), not in
              eu-west-1 (the opposite, with policies open to everyone); COUNT more
              secrets under the key in us-east-1 (ListSecrets pages hold 100)
  compute     instances, launch templates, launch configurations and Auto Scaling groups:
              in us-east-1 an instance with encrypted volumes and harmless user data, a
              template requiring IMDSv2 with an encrypted device, a group over two
              zones; in eu-west-1 an instance with an unencrypted data volume and an
              access key in its user data, a template allowing IMDSv1 with an
              unencrypted device and a password in its user data, a launch
              configuration, a group in one zone (fake credentials only); COUNT more
              groups over two zones in us-east-1 (DescribeAutoScalingGroups pages by 50)
  monitoring  CloudWatch Logs metric filters on a trail's log group, SES identity
              policies, Glacier and Backup vaults: in us-east-1 a trail delivering to
              CloudWatch Logs with a root-usage filter, an identity whose policy names
              one account, a Glacier and a Backup vault; in eu-west-1 a console-failure
              filter, an identity whose policy allows everyone, the two vaults
  edge        CloudFront distributions, API Gateway REST and HTTP APIs with stages and
              domain names, WAF web ACLs: in us-east-1 a distribution redirecting to
              HTTPS with TLS 1.2, HTTPS origins, logging and a web ACL, stages with access
              logs and throttling, a TLS 1.2 domain, a web ACL that logs; in eu-west-1 a
              distribution (global, listed with the first) allowing HTTP to viewers and
              origins without logs or WAF, stages without logs or throttling, a TLS 1.0
              domain, a web ACL that does not log
  tags        data stores tagged and not, in an approved region (eu-west-1) and one not
              approved (us-east-1) by examples/policies/approved_regions.rego: in
              eu-west-1 a DynamoDB table and a bucket carrying owner, data-classification
              and DataClassification, an untagged EBS volume; in us-east-1 an RDS
              instance carrying the three tags, a DynamoDB table tagged with its owner
              only, an untagged bucket. Only kinds whose tags moto 5.1's tagging API
              returns (GetResources ignores Kinesis, Redshift, OpenSearch, and Backup
              vaults and ElastiCache groups under their real type filters)
  operations  CloudWatch metric filters and alarms, ECS and EMR: in us-east-1 a trail
              delivering to CloudWatch Logs with a root-usage filter watched by an alarm
              with an action, a console-failure filter watched by a metric-math alarm,
              an ECS service without public IPs and a task definition without secrets,
              an EMR security configuration encrypting at rest and in transit and a
              cluster using it; in eu-west-1 a security filter without alarm, a filter
              on application logs, an alarm without actions and one with actions
              disabled, a service assigning public IPs, one outside awsvpc, a task
              definition with a password in its environment, a cluster without a
              security configuration and one that does not encrypt; COUNT more clusters
              using the configuration in us-east-1 (moto pages ListClusters by 50)
  joins       the same names in three accounts and two regions with different settings:
              in 111111111111, 222222222222 and 333333333333 (assumed role
              soc2scan-audit) a group `admins` with user `alice`, a policy granting "*"
              attached in the first and the third, not in the second;
              in 111111111111 a parameter group `pg` and database `db` in us-east-1
              (rds.force_ssl=1) and eu-west-1 (the postgres14 default, TLS not forced)
"""
import json
import sys

import boto3

ENDPOINT = sys.argv[1]
SCENARIO = sys.argv[2]
COUNT = int(sys.argv[3]) if len(sys.argv) > 3 else 0
HOME, OTHER = "us-east-1", "eu-west-1"


def client(service, region=HOME):
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=ENDPOINT,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


SECURE_TRANSPORT = lambda bucket: json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }],
})

REQUIRE_MFA = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "DenyAllWithoutMFA",
        "Effect": "Deny",
        "NotAction": ["iam:EnableMFADevice", "iam:ListMFADevices", "sts:GetSessionToken"],
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    }],
})

ADMIN = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
})


def ami(ec2):
    return ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]


def basic():
    # S3: a compliant bucket logging to a log bucket, and a bare bucket in eu-west-1.
    s3 = client("s3")
    s3.create_bucket(Bucket="soc2-logs")
    s3.create_bucket(Bucket="soc2-good")
    s3.create_bucket(Bucket="soc2-bad", CreateBucketConfiguration={"LocationConstraint": OTHER})
    for b in ["soc2-logs", "soc2-good"]:
        s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_policy(Bucket=b, Policy=SECURE_TRANSPORT(b))
        s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True,
            "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_encryption(Bucket="soc2-good", ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
    s3.put_bucket_acl(Bucket="soc2-logs", ACL="log-delivery-write")
    s3.put_bucket_logging(Bucket="soc2-good", BucketLoggingStatus={
        "LoggingEnabled": {"TargetBucket": "soc2-logs", "TargetPrefix": "good/"}})

    # IAM: a weak password policy, a console user without MFA enforcement, one with it
    # through a group, a service user without console, and a full-admin policy.
    iam = client("iam")
    iam.update_account_password_policy(MinimumPasswordLength=8)
    for u in ["alice", "bob", "svc-deploy"]:
        iam.create_user(UserName=u)
    iam.create_login_profile(UserName="alice", Password="Sup3r-secret-pw!")
    iam.create_login_profile(UserName="bob", Password="Sup3r-secret-pw!")
    iam.create_group(GroupName="humans")
    iam.put_group_policy(GroupName="humans", PolicyName="require-mfa", PolicyDocument=REQUIRE_MFA)
    iam.add_user_to_group(GroupName="humans", UserName="bob")
    iam.create_policy(PolicyName="admin-all", PolicyDocument=ADMIN)

    for region, good in [(HOME, True), (OTHER, False)]:
        ec2 = client("ec2", region)
        vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
        if good:
            ec2.enable_ebs_encryption_by_default()
            ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL",
                                 LogDestinationType="s3", LogDestination="arn:aws:s3:::soc2-logs")
            sg = ec2.create_security_group(GroupName="web", Description="https", VpcId=vpc)["GroupId"]
            ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{
                "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        else:
            sg = ec2.create_security_group(GroupName="open-ssh", Description="ssh", VpcId=vpc)["GroupId"]
            ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{
                "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        az = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
        ec2.create_volume(AvailabilityZone=az, Size=8, Encrypted=good)
        opts = {"HttpTokens": "required", "HttpEndpoint": "enabled"} if good else {"HttpTokens": "optional"}
        root = [{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8, "Encrypted": good}}]
        ec2.run_instances(ImageId=ami(ec2), MinCount=1, MaxCount=1, InstanceType="t3.micro",
                          MetadataOptions=opts, BlockDeviceMappings=root)

        rds = client("rds", region)
        rds.create_db_instance(
            DBInstanceIdentifier="db-good" if good else "db-bad", Engine="postgres",
            DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="admin",
            MasterUserPassword="Sup3r-secret-pw!", StorageEncrypted=good,
            PubliclyAccessible=not good, BackupRetentionPeriod=7 if good else 0)

        kms = client("kms", region)
        key = kms.create_key(Description="data")["KeyMetadata"]["KeyId"]
        if good:
            kms.enable_key_rotation(KeyId=key)

        ddb = client("dynamodb", region)
        name = "orders" if good else "sessions"
        ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        if good:
            ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
                "PointInTimeRecoveryEnabled": True})

    ct = client("cloudtrail")
    ct.create_trail(Name="org-trail", S3BucketName="soc2-logs", IsMultiRegionTrail=True,
                    EnableLogFileValidation=True)
    ct.start_logging(Name="org-trail")
    ct2 = client("cloudtrail", OTHER)
    ct2.create_trail(Name="local-trail", S3BucketName="soc2-logs")


def pagination():
    ddb = client("dynamodb")
    for i in range(COUNT):
        ddb.create_table(TableName=f"t-{i:05d}", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])


def bench():
    """About COUNT resources of every kind the live scan reads in bulk, spread evenly
    over three regions (and IAM users and roles, which are global); every other one
    violates a rule, so the scan both passes and fails resources of each kind."""
    import io
    import zipfile

    regions = [HOME, OTHER, "ap-southeast-2"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return 'ok'\n")
    code = {"ZipFile": buf.getvalue()}
    iam = client("iam")
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"Service": "lambda.amazonaws.com"}}]})
    role = iam.create_role(RoleName="bench-exec", AssumeRolePolicyDocument=trust)["Role"]["Arn"]

    def kinds(region):
        """One creator per kind: `make(i)` creates resource number i of that kind."""
        ec2 = client("ec2", region)
        vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
        az = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
        image = ami(ec2)
        c = {s: client(s, region) for s in [
            "dynamodb", "kms", "sqs", "sns", "s3", "logs", "secretsmanager", "ecr",
            "kinesis", "efs", "backup", "cloudwatch", "lambda", "apigateway", "rds"]}
        key = c["kms"].create_key(Description="bench")["KeyMetadata"]["Arn"]
        table = {"BillingMode": "PAY_PER_REQUEST",
                 "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                 "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}
        location = {} if region == HOME else {
            "CreateBucketConfiguration": {"LocationConstraint": region}}
        return [
            lambda i: ec2.create_security_group(GroupName=f"sg-{i:05d}", Description="b",
                                                VpcId=vpc),
            lambda i: ec2.create_volume(AvailabilityZone=az, Size=1, Encrypted=i % 2 == 0),
            lambda i: ec2.create_launch_template(
                LaunchTemplateName=f"lt-{i:05d}",
                LaunchTemplateData={"ImageId": image, "MetadataOptions": {
                    "HttpTokens": "required" if i % 2 else "optional"}}),
            lambda i: c["dynamodb"].create_table(TableName=f"t-{i:05d}", **table),
            lambda i: c["kms"].create_key(Description=f"k{i}"),
            lambda i: c["sqs"].create_queue(
                QueueName=f"q-{i:05d}",
                Attributes={"SqsManagedSseEnabled": "true" if i % 2 else "false"}),
            lambda i: c["sns"].create_topic(
                Name=f"topic-{i:05d}", Attributes={"KmsMasterKeyId": key} if i % 2 else {}),
            lambda i: c["s3"].create_bucket(Bucket=f"bench-{region}-{i:05d}", **location),
            lambda i: c["logs"].create_log_group(logGroupName=f"/bench/{i:05d}"),
            lambda i: c["secretsmanager"].create_secret(Name=f"s-{i:05d}", SecretString="x"),
            lambda i: c["ecr"].create_repository(
                repositoryName=f"repo-{i:05d}",
                imageScanningConfiguration={"scanOnPush": i % 2 == 1}),
            lambda i: c["kinesis"].create_stream(StreamName=f"st-{i:05d}", ShardCount=1),
            lambda i: c["efs"].create_file_system(CreationToken=f"fs-{i:05d}",
                                                  Encrypted=i % 2 == 1),
            lambda i: c["backup"].create_backup_vault(BackupVaultName=f"v-{i:05d}"),
            lambda i: c["cloudwatch"].put_metric_alarm(
                AlarmName=f"a-{i:05d}", MetricName="Errors", Namespace="App",
                Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1,
                ComparisonOperator="GreaterThanThreshold",
                AlarmActions=[f"arn:aws:sns:{region}:123456789012:ops"] if i % 2 else []),
            lambda i: c["lambda"].create_function(
                FunctionName=f"f-{i:05d}", Runtime="python3.12", Role=role,
                Handler="index.handler", Code=code),
            lambda i: c["apigateway"].create_rest_api(name=f"api-{i:05d}"),
            lambda i: c["rds"].create_db_instance(
                DBInstanceIdentifier=f"db-{i:05d}", Engine="postgres",
                DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="admin",
                MasterUserPassword="Password123", StorageEncrypted=i % 2 == 1),
        ]

    makers = {region: kinds(region) for region in regions}
    per_kind = len(next(iter(makers.values())))
    # IAM users and roles count as two more kinds, in the global partition.
    per = max(1, -(-COUNT // (per_kind * len(regions) + 2)))
    for i in range(per):
        iam.create_user(UserName=f"user-{i:05d}")
        iam.create_role(RoleName=f"role-{i:05d}", AssumeRolePolicyDocument=trust)
    for region in regions:
        for make in makers[region]:
            for i in range(per):
                make(i)
    # And the resources of every per-service scenario, so that the account has every
    # service the live scan reads (EKS, ElastiCache, OpenSearch, CloudFront, WAF, …),
    # without their pagination extras.
    globals()["COUNT"] = 0
    for scenario in BENCH_EXTRAS:
        scenario()


def iam():
    iam = client("iam")
    # Console users: one with an MFA device enrolled, one in a group whose policy
    # denies everything without MFA, one with neither.
    for u in ["console-mfa", "console-policy", "console-nomfa"]:
        iam.create_user(UserName=u)
        iam.create_login_profile(UserName=u, Password="Sup3r-secret-pw!")
    serial = iam.create_virtual_mfa_device(
        VirtualMFADeviceName="console-mfa")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(UserName="console-mfa", SerialNumber=serial,
                          AuthenticationCode1="123456", AuthenticationCode2="654321")
    iam.create_group(GroupName="humans")
    iam.put_group_policy(GroupName="humans", PolicyName="require-mfa", PolicyDocument=REQUIRE_MFA)
    iam.add_user_to_group(GroupName="humans", UserName="console-policy")
    # A programmatic user without console access: an active and an inactive key (both
    # created now: moto cannot backdate them).
    iam.create_user(UserName="api-keys")
    iam.create_access_key(UserName="api-keys")
    old = iam.create_access_key(UserName="api-keys")["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName="api-keys", AccessKeyId=old, Status="Inactive")
    # Roles: the default one-hour session and the twelve-hour maximum.
    trust = json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                       "Action": "sts:AssumeRole"}],
    })
    iam.create_role(RoleName="short-session", AssumeRolePolicyDocument=trust)
    iam.create_role(RoleName="long-session", AssumeRolePolicyDocument=trust,
                    MaxSessionDuration=43200)


def services():
    # us-east-1: compliant. A log group kept a year under a customer managed key, an
    # enabled detector, a started recorder of every resource type, a locked vault under a
    # customer managed key, a plan whose rules keep recovery points 35 days or forever.
    kms = client("kms")
    key = kms.create_key(Description="logs and backups")["KeyMetadata"]["Arn"]
    logs = client("logs")
    logs.create_log_group(logGroupName="/soc2/app", kmsKeyId=key)
    logs.put_retention_policy(logGroupName="/soc2/app", retentionInDays=365)
    client("guardduty").create_detector(Enable=True)
    cfg = client("config")
    client("s3").create_bucket(Bucket="soc2-config")
    cfg.put_configuration_recorder(ConfigurationRecorder={
        "name": "default",
        "roleARN": "arn:aws:iam::123456789012:role/config",
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
    })
    cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "soc2-config"})
    cfg.start_configuration_recorder(ConfigurationRecorderName="default")
    bk = client("backup")
    bk.create_backup_vault(BackupVaultName="vault-cmk", EncryptionKeyArn=key)
    bk.put_backup_vault_lock_configuration(BackupVaultName="vault-cmk", MinRetentionDays=7)
    bk.create_backup_plan(BackupPlan={"BackupPlanName": "plan-35d", "Rules": [
        {"RuleName": "daily-35d", "TargetBackupVaultName": "vault-cmk",
         "Lifecycle": {"DeleteAfterDays": 35}},
        {"RuleName": "monthly-forever", "TargetBackupVaultName": "vault-cmk"},
    ]})

    # Key policies: one granting the organization's accounts only (private), one
    # granting everyone without a condition (public, in eu-west-1 below).
    kms.create_key(Description="org-shared", Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Owner", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "Organization", "Effect": "Allow", "Principal": {"AWS": "*"},
             "Action": ["kms:Decrypt"], "Resource": "*",
             "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}},
        ],
    }))
    client("kms", OTHER).create_key(Description="public", Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Everyone", "Effect": "Allow", "Principal": {"AWS": "*"},
             "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"},
        ],
    }))

    # eu-west-1: non-compliant. A log group kept 7 days with the service key, a suspended
    # detector, a recorder of S3 buckets only that was never started, an unlocked vault
    # with the default key, a plan whose rule deletes recovery points after a day.
    logs = client("logs", OTHER)
    logs.create_log_group(logGroupName="/soc2/debug")
    logs.put_retention_policy(logGroupName="/soc2/debug", retentionInDays=7)
    client("guardduty", OTHER).create_detector(Enable=False)
    client("config", OTHER).put_configuration_recorder(ConfigurationRecorder={
        "name": "default",
        "roleARN": "arn:aws:iam::123456789012:role/config",
        "recordingGroup": {
            "allSupported": False,
            "includeGlobalResourceTypes": False,
            "resourceTypes": ["AWS::S3::Bucket"],
            "recordingStrategy": {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"},
        },
    })
    bk = client("backup", OTHER)
    bk.create_backup_vault(BackupVaultName="vault-default")
    bk.create_backup_plan(BackupPlan={"BackupPlanName": "plan-1d", "Rules": [
        {"RuleName": "daily-1d", "TargetBackupVaultName": "vault-default",
         "Lifecycle": {"DeleteAfterDays": 1}},
    ]})


AUDIT_ROLE = "soc2scan-audit"
# The audit role of a member account trusts the scanning (management) account, as
# an organization's audit roles do (moto does not enforce trust policies).
TRUST_SCANNER_ACCOUNT = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "sts:AssumeRole",
    }],
})


def account_ids(n):
    return [str(i) * 12 for i in range(1, n + 1)]


def accounts():
    for i, account in enumerate(account_ids(COUNT or 3)):
        creds = client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/{AUDIT_ROLE}", RoleSessionName="seed",
        )["Credentials"]

        def c(service):
            return boto3.client(
                service, region_name=HOME, endpoint_url=ENDPOINT,
                aws_access_key_id=creds["AccessKeyId"],
                aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"],
            )

        iam = c("iam")
        iam.create_role(RoleName=AUDIT_ROLE, AssumeRolePolicyDocument=TRUST_SCANNER_ACCOUNT)
        if i % 3 == 2:
            iam.update_account_password_policy(MinimumPasswordLength=8)
        # Bucket names are global: one per account, encrypted with KMS in every other one.
        s3 = c("s3")
        bucket = f"acct-{account}-data"
        s3.create_bucket(Bucket=bucket)
        if i % 2 == 0:
            s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
        ddb = c("dynamodb")
        ddb.create_table(TableName="orders", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        if i % 2 == 1:
            ddb.update_continuous_backups(TableName="orders", PointInTimeRecoverySpecification={
                "PointInTimeRecoveryEnabled": True})
        kms = c("kms")
        key = kms.create_key(Description=f"data of {account}")["KeyMetadata"]["KeyId"]
        if i % 2 == 0:
            kms.enable_key_rotation(KeyId=key)
        if i % 3 == 1:
            ec2 = c("ec2")
            vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
            sg = ec2.create_security_group(GroupName="open-ssh", Description="ssh", VpcId=vpc)["GroupId"]
            ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{
                "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])


def resources():
    ec2 = client("ec2")
    az = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
    # EBS snapshots owned by the account: one of an encrypted volume, one of a plain one
    # (both private), and a public one of an encrypted volume.
    for encrypted, desc in [(True, "encrypted"), (False, "plain"), (True, "public")]:
        vol = ec2.create_volume(AvailabilityZone=az, Size=8, Encrypted=encrypted)["VolumeId"]
        snap = ec2.create_snapshot(VolumeId=vol, Description=desc)["SnapshotId"]
        if desc == "public":
            ec2.modify_snapshot_attribute(SnapshotId=snap, Attribute="createVolumePermission",
                                          OperationType="add", GroupNames=["all"])
    # AMIs owned by the account: private, shared with one account, public.
    inst = ec2.run_instances(ImageId=ami(ec2), MinCount=1, MaxCount=1,
                             InstanceType="t3.micro")["Instances"][0]["InstanceId"]
    private = ec2.create_image(InstanceId=inst, Name="private-ami")["ImageId"]
    shared = ec2.create_image(InstanceId=inst, Name="shared-ami")["ImageId"]
    public = ec2.create_image(InstanceId=inst, Name="public-ami")["ImageId"]
    ec2.modify_image_attribute(ImageId=shared, LaunchPermission={"Add": [{"UserId": "111122223333"}]})
    ec2.modify_image_attribute(ImageId=public, LaunchPermission={"Add": [{"Group": "all"}]})

    # RDS: instances and clusters on custom parameter groups that force TLS or not.
    rds = client("rds")
    groups = [
        ("pg14-tls", "postgres14", [("rds.force_ssl", "1")]),
        ("pg14-plain", "postgres14", []),   # the postgres14 default: rds.force_ssl off
        ("pg16-plain", "postgres16", []),   # the postgres16 default: rds.force_ssl on
        ("mysql-off", "mysql8.0", [("require_secure_transport", "0")]),
    ]
    for name, family, params in groups:
        rds.create_db_parameter_group(DBParameterGroupName=name, DBParameterGroupFamily=family,
                                      Description=name)
        if params:
            rds.modify_db_parameter_group(DBParameterGroupName=name, Parameters=[
                {"ParameterName": k, "ParameterValue": v, "ApplyMethod": "immediate"}
                for k, v in params])
    for db, engine, version, group in [
        ("db-tls", "postgres", "14.9", "pg14-tls"),
        ("db-plain", "postgres", "14.9", "pg14-plain"),
        ("db-pg16", "postgres", "16.3", "pg16-plain"),
        ("db-mysql", "mysql", "8.0.35", "mysql-off"),
    ]:
        rds.create_db_instance(
            DBInstanceIdentifier=db, Engine=engine, EngineVersion=version,
            DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="admin",
            MasterUserPassword="Sup3r-secret-pw!", DBParameterGroupName=group)
    rds.create_db_cluster_parameter_group(DBClusterParameterGroupName="amy-tls",
                                          DBParameterGroupFamily="aurora-mysql8.0",
                                          Description="tls")
    rds.modify_db_cluster_parameter_group(DBClusterParameterGroupName="amy-tls", Parameters=[{
        "ParameterName": "require_secure_transport", "ParameterValue": "ON",
        "ApplyMethod": "immediate"}])
    rds.create_db_cluster_parameter_group(DBClusterParameterGroupName="amy-plain",
                                          DBParameterGroupFamily="aurora-mysql8.0",
                                          Description="plain")
    for cl, group in [("cl-tls", "amy-tls"), ("cl-plain", "amy-plain")]:
        rds.create_db_cluster(DBClusterIdentifier=cl, Engine="aurora-mysql",
                              MasterUsername="admin", MasterUserPassword="Sup3r-secret-pw!",
                              DBClusterParameterGroupName=group)

    # CloudTrail, one region each: basic selectors recording S3 objects (us-east-1, with
    # a management-only trail beside it), advanced selectors doing so (ap-southeast-2),
    # and selectors recording Lambda data events only (eu-west-1).
    s3 = client("s3")
    s3.create_bucket(Bucket="trail-logs")
    for region, trail, selectors in [
        (HOME, "s3-basic", {"EventSelectors": [{
            "ReadWriteType": "All", "IncludeManagementEvents": True,
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}]}),
        (HOME, "mgmt-only", None),
        ("ap-southeast-2", "s3-advanced", {"AdvancedEventSelectors": [{
            "Name": "s3-objects", "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Data"]},
                {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}]}),
        (OTHER, "lambda-only", {"EventSelectors": [{
            "ReadWriteType": "All", "IncludeManagementEvents": True,
            "DataResources": [{"Type": "AWS::Lambda::Function", "Values": ["arn:aws:lambda"]}]}]}),
    ]:
        ct = client("cloudtrail", region)
        ct.create_trail(Name=trail, S3BucketName="trail-logs")
        if selectors:
            ct.put_event_selectors(TrailName=trail, **selectors)

    # Load balancers: an ALB with access logs and deletion protection, a bare NLB, and
    # classic load balancers with and without access logs.
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = [x["SubnetId"] for x in ec2.describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]][:2]
    elb = client("elbv2")
    alb = elb.create_load_balancer(Name="alb-good", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    elb.modify_load_balancer_attributes(LoadBalancerArn=alb, Attributes=[
        {"Key": "access_logs.s3.enabled", "Value": "true"},
        {"Key": "access_logs.s3.bucket", "Value": "trail-logs"},
        {"Key": "deletion_protection.enabled", "Value": "true"}])
    elb.create_load_balancer(Name="nlb-bad", Subnets=subnets, Type="network")
    classic = client("elb")
    for name in ["clb-good", "clb-bad"]:
        classic.create_load_balancer(LoadBalancerName=name, AvailabilityZones=[az], Listeners=[
            {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}])
    classic.modify_load_balancer_attributes(LoadBalancerName="clb-good", LoadBalancerAttributes={
        "AccessLog": {"Enabled": True, "S3BucketName": "trail-logs", "EmitInterval": 60}})

    # The account-level public access block, without restrict_public_buckets.
    account_public_access_block(restrict=False)


def account_public_access_block(restrict):
    """Puts the account-level S3 public access block (S3 Control). The endpoint rules put
    the account id in front of the host, which the emulator does not answer: strip it."""
    s3control = client("s3control")
    account = client("sts").get_caller_identity()["Account"]

    def strip_account(request, **_):
        request.url = request.url.replace(f"://{account}.", "://", 1)

    s3control.meta.events.register("before-sign.s3-control.*", strip_account)
    s3control.put_public_access_block(AccountId=account, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
        "RestrictPublicBuckets": restrict})


def joins():
    for i, account in enumerate(account_ids(3)):
        creds = client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/{AUDIT_ROLE}", RoleSessionName="seed",
        )["Credentials"]

        def c(service, region=HOME):
            return boto3.client(
                service, region_name=region, endpoint_url=ENDPOINT,
                aws_access_key_id=creds["AccessKeyId"],
                aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"],
            )

        iam = c("iam")
        iam.create_role(RoleName=AUDIT_ROLE, AssumeRolePolicyDocument=TRUST_SCANNER_ACCOUNT)
        iam.create_group(GroupName="admins")
        iam.create_user(UserName="alice")
        iam.add_user_to_group(GroupName="admins", UserName="alice")
        if i != 1:
            # moto does not load AWS managed policies: a customer managed one granting "*".
            arn = iam.create_policy(PolicyName="everything", PolicyDocument=ADMIN)["Policy"]["Arn"]
            iam.attach_group_policy(GroupName="admins", PolicyArn=arn)
        if i == 0:
            for region, force in [(HOME, "1"), (OTHER, None)]:
                rds = c("rds", region)
                rds.create_db_parameter_group(DBParameterGroupName="pg",
                                              DBParameterGroupFamily="postgres14",
                                              Description="pg")
                if force:
                    rds.modify_db_parameter_group(DBParameterGroupName="pg", Parameters=[{
                        "ParameterName": "rds.force_ssl", "ParameterValue": force,
                        "ApplyMethod": "immediate"}])
                rds.create_db_instance(
                    DBInstanceIdentifier="db", Engine="postgres", EngineVersion="14.9",
                    DBInstanceClass="db.t3.micro", AllocatedStorage=20, StorageEncrypted=True,
                    MasterUsername="admin", MasterUserPassword="Sup3r-secret-pw!",
                    DBParameterGroupName="pg")


def messaging():
    account = client("sts").get_caller_identity()["Account"]

    def policy(service, arn, narrowed):
        statement = {"Effect": "Allow", "Principal": "*", "Action": f"{service}:*",
                     "Resource": arn}
        if narrowed:
            statement["Condition"] = {"StringEquals": {"aws:SourceAccount": account}}
        return json.dumps({"Version": "2012-10-17", "Statement": [statement]})

    key = client("kms").create_key(Description="messaging")["KeyMetadata"]["Arn"]
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="orders", Attributes={"KmsMasterKeyId": key})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy("sqs", arn, True)})
    sqs.create_queue(QueueName="events", Attributes={"SqsManagedSseEnabled": "true"})
    sns = client("sns")
    sns.create_topic(Name="alerts", Attributes={"KmsMasterKeyId": key})
    for i in range(COUNT):
        sns.create_topic(Name=f"bulk-{i:04d}", Attributes={"KmsMasterKeyId": key})

    sqs = client("sqs", OTHER)
    url = sqs.create_queue(QueueName="intake", Attributes={"SqsManagedSseEnabled": "false"})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy("sqs", arn, False)})
    sns = client("sns", OTHER)
    topic = sns.create_topic(Name="broadcast")["TopicArn"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy",
                             AttributeValue=policy("sns", topic, False))


def datastores():
    key = client("kms").create_key(Description="data")["KeyMetadata"]["Arn"]
    role = f"arn:aws:iam::{client('sts').get_caller_identity()['Account']}:role/eks"
    for region, good in [(HOME, True), (OTHER, False)]:
        efs = client("efs", region)
        if good:
            efs.create_file_system(CreationToken="shared", Encrypted=True, KmsKeyId=key)
        else:
            efs.create_file_system(CreationToken="scratch", Encrypted=False)
        kinesis = client("kinesis", region)
        kinesis.create_stream(StreamName="clicks", ShardCount=1)
        if good:
            kinesis.start_stream_encryption(StreamName="clicks", EncryptionType="KMS", KeyId=key)
        eks = client("eks", region)
        vpc = {"subnetIds": ["subnet-1", "subnet-2"], "endpointPublicAccess": not good,
               "endpointPrivateAccess": True}
        if good:
            eks.create_cluster(
                name="prod", roleArn=role, resourcesVpcConfig=vpc,
                logging={"clusterLogging": [{"types": ["api", "audit", "authenticator"],
                                              "enabled": True}]},
                encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": key}}])
        else:
            eks.create_cluster(name="dev", roleArn=role, resourcesVpcConfig=vpc)
        cache = client("elasticache", region)
        if good:
            cache.create_replication_group(
                ReplicationGroupId="sessions", ReplicationGroupDescription="sessions",
                Engine="redis", CacheNodeType="cache.t4g.small", NumCacheClusters=2,
                AtRestEncryptionEnabled=True, TransitEncryptionEnabled=True,
                SnapshotRetentionLimit=7, AutomaticFailoverEnabled=True, MultiAZEnabled=True)
        else:
            cache.create_replication_group(
                ReplicationGroupId="cache", ReplicationGroupDescription="cache",
                Engine="redis", CacheNodeType="cache.t4g.small", NumCacheClusters=1)
            cache.create_cache_cluster(CacheClusterId="mc", Engine="memcached",
                                       CacheNodeType="cache.t4g.small", NumCacheNodes=1)
        client("kafka", region).create_cluster(
            ClusterName="events" if good else "legacy", KafkaVersion="3.6.0",
            NumberOfBrokerNodes=2,
            BrokerNodeGroupInfo={"InstanceType": "kafka.m5.large",
                                 "ClientSubnets": ["subnet-1", "subnet-2"]},
            EncryptionInfo={"EncryptionInTransit": {
                "ClientBroker": "TLS" if good else "PLAINTEXT", "InCluster": good}})


def functions():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return 'ok'\n")
    code = {"ZipFile": buf.getvalue()}
    account = client("sts").get_caller_identity()["Account"]
    role = client("iam").create_role(RoleName="lambda-exec", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"Service": "lambda.amazonaws.com"}}]}))["Role"]["Arn"]

    def function(region, name):
        lam = client("lambda", region)
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=role,
                            Handler="index.handler", Code=code)
        return lam

    lam = function(HOME, "thumbnail")
    lam.add_permission(FunctionName="thumbnail", StatementId="from-uploads",
                       Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                       SourceArn="arn:aws:s3:::uploads", SourceAccount=account)
    lam.add_permission(FunctionName="thumbnail", StatementId="partner",
                       Action="lambda:InvokeFunction", Principal="111111111111")
    lam = function(OTHER, "open")
    lam.add_permission(FunctionName="open", StatementId="anyone",
                       Action="lambda:InvokeFunction", Principal="*")
    lam.add_permission(FunctionName="open", StatementId="url", Action="lambda:InvokeFunctionUrl",
                       Principal="*", FunctionUrlAuthType="NONE")


def analytics():
    account = client("sts").get_caller_identity()["Account"]
    key = client("kms").create_key(Description="analytics")["KeyMetadata"]["Arn"]

    def policy(service, narrowed):
        principal = {"AWS": f"arn:aws:iam::{account}:root"} if narrowed else "*"
        return json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "Read", "Effect": "Allow", "Principal": principal,
            "Action": f"{service}:*", "Resource": "*"}]})

    for region, good in [(HOME, True), (OTHER, False)]:
        sm = client("secretsmanager", region)
        if good:
            sm.create_secret(Name="db-password", SecretString="not-a-real-secret", KmsKeyId=key)
            sm.put_resource_policy(SecretId="db-password", ResourcePolicy=policy("secretsmanager", True))
            for i in range(COUNT):
                sm.create_secret(Name=f"bulk-{i:04d}", SecretString="x", KmsKeyId=key)
        else:
            sm.create_secret(Name="api-token", SecretString="not-a-real-secret")
            sm.put_resource_policy(SecretId="api-token", ResourcePolicy=policy("secretsmanager", False))

        ecr = client("ecr", region)
        if good:
            ecr.create_repository(
                repositoryName="app", imageTagMutability="IMMUTABLE",
                imageScanningConfiguration={"scanOnPush": True},
                encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key})
            ecr.set_repository_policy(repositoryName="app", policyText=policy("ecr", True))
        else:
            ecr.create_repository(repositoryName="legacy")
            ecr.set_repository_policy(repositoryName="legacy", policyText=policy("ecr", False))

        es = client("opensearch", region)
        if good:
            logs = f"arn:aws:logs:{region}:{account}:log-group:search"
            es.create_domain(
                DomainName="search", EngineVersion="OpenSearch_2.11",
                EncryptionAtRestOptions={"Enabled": True, "KmsKeyId": key},
                NodeToNodeEncryptionOptions={"Enabled": True},
                DomainEndpointOptions={"EnforceHTTPS": True,
                                       "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"},
                VPCOptions={"SubnetIds": ["subnet-1"], "SecurityGroupIds": ["sg-1"]},
                AccessPolicies=policy("es", True),
                LogPublishingOptions={
                    "AUDIT_LOGS": {"CloudWatchLogsLogGroupArn": logs, "Enabled": True},
                    "ES_APPLICATION_LOGS": {"CloudWatchLogsLogGroupArn": logs, "Enabled": True},
                    "SEARCH_SLOW_LOGS": {"CloudWatchLogsLogGroupArn": logs, "Enabled": False}})
        else:
            es.create_domain(DomainName="logs", EngineVersion="Elasticsearch_7.10",
                             AccessPolicies=policy("es", False))

        rs = client("redshift", region)
        if good:
            rs.create_cluster_parameter_group(ParameterGroupName="secure",
                                              ParameterGroupFamily="redshift-1.0",
                                              Description="secure")
            rs.create_cluster(
                ClusterIdentifier="warehouse", NodeType="ra3.xlplus", MasterUsername="admin",
                MasterUserPassword="Password1", Encrypted=True, KmsKeyId=key,
                AutomatedSnapshotRetentionPeriod=35, PubliclyAccessible=False,
                ClusterParameterGroupName="secure")
            rs.enable_logging(ClusterIdentifier="warehouse", BucketName="audit-logs")
        else:
            rs.create_cluster(
                ClusterIdentifier="legacy", NodeType="dc2.large", MasterUsername="admin",
                MasterUserPassword="Password1", Encrypted=False,
                AutomatedSnapshotRetentionPeriod=0, PubliclyAccessible=True)


def compute():
    import base64
    # Fake credentials in the shape the rule looks for (AWS's documentation example key).
    leaky = "#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
    password = "#!/bin/bash\nDB_PASSWORD=hunter2-example\n"
    harmless = "#!/bin/bash\nDB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id db)\n"
    for region, good in [(HOME, True), (OTHER, False)]:
        ec2 = client("ec2", region)
        zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
        image = ami(ec2)
        devices = [{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 8, "Encrypted": good}}]
        inst = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                 BlockDeviceMappings=devices,
                                 UserData=harmless if good else leaky)["Instances"][0]
        if not good:
            # moto 5.1 encrypts the volumes it creates for an instance: attach one that is
            # not.
            vol = ec2.create_volume(AvailabilityZone=inst["Placement"]["AvailabilityZone"],
                                    Size=8, Encrypted=False)["VolumeId"]
            ec2.attach_volume(VolumeId=vol, InstanceId=inst["InstanceId"], Device="/dev/sdg")
        data = {
            "ImageId": image,
            "MetadataOptions": {"HttpTokens": "required" if good else "optional"},
            "BlockDeviceMappings": [{"DeviceName": "/dev/sdf",
                                     "Ebs": {"VolumeSize": 8, "Encrypted": good}}],
            "UserData": base64.b64encode((harmless if good else password).encode()).decode(),
        }
        name = "web" if good else "legacy"
        ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData=data)
        asg = client("autoscaling", region)
        if not good:
            asg.create_launch_configuration(
                LaunchConfigurationName="old", ImageId=image, InstanceType="t3.micro",
                UserData=password,
                BlockDeviceMappings=[{"DeviceName": "/dev/sdf",
                                      "Ebs": {"VolumeSize": 8, "Encrypted": False}}])
        for group in [name] + ([f"bulk-{i:04d}" for i in range(COUNT)] if good else []):
            asg.create_auto_scaling_group(
                AutoScalingGroupName=group, MinSize=0, MaxSize=1, DesiredCapacity=0,
                LaunchTemplate={"LaunchTemplateName": name, "Version": "$Default"},
                AvailabilityZones=zones[:2] if good else zones[:1])


def monitoring():
    account = client("sts").get_caller_identity()["Account"]

    def policy(narrowed):
        principal = {"AWS": f"arn:aws:iam::{account}:root"} if narrowed else "*"
        return json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "Send", "Effect": "Allow", "Principal": principal,
            "Action": ["ses:SendEmail", "ses:SendRawEmail"], "Resource": "*"}]})

    for region, good in [(HOME, True), (OTHER, False)]:
        logs = client("logs", region)
        logs.create_log_group(logGroupName="cloudtrail")
        if good:
            group = f"arn:aws:logs:{region}:{account}:log-group:cloudtrail:*"
            s3 = client("s3", region)
            s3.create_bucket(Bucket="trail-logs-monitoring")
            client("cloudtrail", region).create_trail(
                Name="main", S3BucketName="trail-logs-monitoring", IsMultiRegionTrail=True,
                CloudWatchLogsLogGroupArn=group,
                CloudWatchLogsRoleArn=f"arn:aws:iam::{account}:role/trail-logs")
            logs.put_metric_filter(
                logGroupName="cloudtrail", filterName="root-usage",
                filterPattern='{ $.userIdentity.type = "Root" && '
                              '$.userIdentity.invokedBy NOT EXISTS && '
                              '$.eventType != "AwsServiceEvent" }',
                metricTransformations=[{"metricName": "RootUsage",
                                        "metricNamespace": "CISBenchmark",
                                        "metricValue": "1"}])
        else:
            logs.put_metric_filter(
                logGroupName="cloudtrail", filterName="console-failures",
                filterPattern='{ ($.eventName = ConsoleLogin) && '
                              '($.errorMessage = "Failed authentication") }',
                metricTransformations=[{"metricName": "ConsoleFailures",
                                        "metricNamespace": "CISBenchmark",
                                        "metricValue": "1"}])
        ses = client("sesv2", region)
        identity = "example.com" if good else "open.example"
        ses.create_email_identity(EmailIdentity=identity)
        ses.create_email_identity_policy(EmailIdentity=identity, PolicyName="senders",
                                         Policy=policy(good))
        client("glacier", region).create_vault(vaultName="archive")
        client("backup", region).create_backup_vault(BackupVaultName="archive")


ROOT_USAGE = ('{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
              '$.eventType != "AwsServiceEvent" }')
CONSOLE_FAILURES = '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'


def operations():
    account = client("sts").get_caller_identity()["Account"]
    topic = lambda region: f"arn:aws:sns:{region}:{account}:security"

    def metric_filter(logs, name, pattern, metric):
        logs.put_metric_filter(
            logGroupName="cloudtrail", filterName=name, filterPattern=pattern,
            metricTransformations=[{"metricName": metric, "metricNamespace": "CISBenchmark",
                                    "metricValue": "1"}])

    def alarm(cw, name, **kw):
        cw.put_metric_alarm(AlarmName=name, EvaluationPeriods=1, Threshold=1,
                            ComparisonOperator="GreaterThanOrEqualToThreshold", **kw)

    def cluster(emr, name, config=None):
        kw = {"SecurityConfiguration": config} if config else {}
        emr.run_job_flow(
            Name=name, ReleaseLabel="emr-6.10.0", JobFlowRole="EMR_EC2_DefaultRole",
            ServiceRole="EMR_DefaultRole",
            Instances={"MasterInstanceType": "m5.xlarge", "InstanceCount": 1,
                       "KeepJobFlowAliveWhenNoSteps": True}, **kw)

    for region, good in [(HOME, True), (OTHER, False)]:
        logs, cw = client("logs", region), client("cloudwatch", region)
        logs.create_log_group(logGroupName="cloudtrail")
        if good:
            client("s3", region).create_bucket(Bucket="trail-logs-operations")
            client("cloudtrail", region).create_trail(
                Name="main", S3BucketName="trail-logs-operations",
                CloudWatchLogsLogGroupArn=f"arn:aws:logs:{region}:{account}:log-group:cloudtrail:*",
                CloudWatchLogsRoleArn=f"arn:aws:iam::{account}:role/trail-logs")
            metric_filter(logs, "root-usage", ROOT_USAGE, "RootUsage")
            metric_filter(logs, "console-failures", CONSOLE_FAILURES, "ConsoleFailures")
            alarm(cw, "root-usage", MetricName="RootUsage", Namespace="CISBenchmark",
                  Statistic="Sum", Period=300, AlarmActions=[topic(region)])
            alarm(cw, "console-failures", AlarmActions=[topic(region)], Metrics=[
                {"Id": "m1", "ReturnData": False, "MetricStat": {
                    "Metric": {"MetricName": "ConsoleFailures", "Namespace": "CISBenchmark"},
                    "Period": 300, "Stat": "Sum"}},
                {"Id": "e1", "Expression": "m1 * 1", "ReturnData": True}])
        else:
            metric_filter(logs, "console-failures", CONSOLE_FAILURES, "ConsoleFailures")
            metric_filter(logs, "app-errors", "ERROR", "AppErrors")
            alarm(cw, "quiet", MetricName="AppErrors", Namespace="CISBenchmark",
                  Statistic="Sum", Period=300)
            alarm(cw, "muted", MetricName="AppErrors", Namespace="CISBenchmark",
                  Statistic="Sum", Period=300, ActionsEnabled=False,
                  AlarmActions=[topic(region)])

        ec2, ecs = client("ec2", region), client("ecs", region)
        vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.8.1.0/24")["Subnet"]["SubnetId"]
        sg = ec2.create_security_group(GroupName="tasks", Description="tasks", VpcId=vpc)["GroupId"]
        ecs.create_cluster(clusterName="prod")
        family = "web" if good else "worker"
        env = ([{"name": "LOG_LEVEL", "value": "info"},
                {"name": "DB_PASSWORD_ARN", "value": f"arn:aws:secretsmanager:{region}:{account}:secret:db"}]
               if good else
               [{"name": "DB_PASSWORD", "value": "hunter2-not-a-real-password"},
                {"name": "API_TOKEN", "value": ""}])
        ecs.register_task_definition(family=family, containerDefinitions=[
            {"name": "app", "image": "app:1", "memory": 256, "environment": env}])
        net = lambda ip: {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [sg],
                                                  "assignPublicIp": ip}}
        if good:
            ecs.create_service(cluster="prod", serviceName="private", taskDefinition=family,
                               desiredCount=1, networkConfiguration=net("DISABLED"))
        else:
            ecs.create_service(cluster="prod", serviceName="public", taskDefinition=family,
                               desiredCount=1, networkConfiguration=net("ENABLED"))
            ecs.create_service(cluster="prod", serviceName="bridge", taskDefinition=family,
                               desiredCount=1)

        emr = client("emr", region)
        config = "secure" if good else "plain"
        encryption = {"EnableAtRestEncryption": good, "EnableInTransitEncryption": good}
        emr.create_security_configuration(
            Name=config, SecurityConfiguration=json.dumps({"EncryptionConfiguration": encryption}))
        if good:
            cluster(emr, "etl", config)
            for i in range(COUNT):
                cluster(emr, f"etl-{i:03}", config)
        else:
            cluster(emr, "adhoc")


def edge():
    account = client("sts").get_caller_identity()["Account"]

    def distribution(good):
        custom = {"HTTPPort": 80, "HTTPSPort": 443,
                  "OriginProtocolPolicy": "https-only" if good else "http-only",
                  "OriginSslProtocols": {"Quantity": 1 if good else 2,
                                         "Items": ["TLSv1.2"] if good else ["SSLv3", "TLSv1"]}}
        behavior = {"ViewerProtocolPolicy": "redirect-to-https" if good else "allow-all",
                    "MinTTL": 0, "TrustedSigners": {"Enabled": False, "Quantity": 0},
                    "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}}
        config = {
            "CallerReference": "good" if good else "bad", "Comment": "", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{"Id": "app", "DomainName": "app.example.com",
                                                  "CustomOriginConfig": custom}]},
            "DefaultCacheBehavior": dict(behavior, TargetOriginId="app"),
        }
        if good:
            config["Logging"] = {"Enabled": True, "IncludeCookies": False,
                                 "Bucket": "cf-logs.s3.amazonaws.com", "Prefix": "cf"}
            config["ViewerCertificate"] = {
                "ACMCertificateArn": f"arn:aws:acm:us-east-1:{account}:certificate/edge",
                "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}
            config["WebACLId"] = f"arn:aws:wafv2:us-east-1:{account}:global/webacl/edge/1"
        else:
            config["ViewerCertificate"] = {"CloudFrontDefaultCertificate": True}
        client("cloudfront").create_distribution(DistributionConfig=config)

    for region, good in [(HOME, True), (OTHER, False)]:
        distribution(good)
        logs = f"arn:aws:logs:{region}:{account}:log-group:api"
        ag = client("apigateway", region)
        api = ag.create_rest_api(name="orders" if good else "legacy")["id"]
        root = ag.get_resources(restApiId=api)["items"][0]["id"]
        ag.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
        ag.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
        deployment = ag.create_deployment(restApiId=api)["id"]
        stage = "prod" if good else "dev"
        ag.create_stage(restApiId=api, stageName=stage, deploymentId=deployment)
        if good:
            ag.update_stage(restApiId=api, stageName=stage, patchOperations=[
                {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": logs},
                {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "100"}])
        ag.create_domain_name(
            domainName="api.example.com" if good else "legacy.example.com",
            regionalCertificateArn=f"arn:aws:acm:{region}:{account}:certificate/api",
            securityPolicy="TLS_1_2" if good else "TLS_1_0",
            endpointConfiguration={"types": ["REGIONAL"]})
        v2 = client("apigatewayv2", region)
        http = v2.create_api(Name="http", ProtocolType="HTTP")["ApiId"]
        if good:
            v2.create_stage(ApiId=http, StageName="live",
                            AccessLogSettings={"DestinationArn": logs,
                                               "Format": "$context.requestId"},
                            DefaultRouteSettings={"ThrottlingBurstLimit": 10,
                                                  "ThrottlingRateLimit": 5.0})
        else:
            v2.create_stage(ApiId=http, StageName="open")
        waf = client("wafv2", region)
        acl = waf.create_web_acl(
            Name="main" if good else "quiet", Scope="REGIONAL", DefaultAction={"Allow": {}},
            VisibilityConfig={"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False,
                              "MetricName": "acl"})["Summary"]["ARN"]
        if good:
            waf.put_logging_configuration(LoggingConfiguration={
                "ResourceArn": acl,
                "LogDestinationConfigs": [
                    f"arn:aws:logs:{region}:{account}:log-group:aws-waf-logs-main"]})


def graph():
    """Neptune clusters through the RDS API (moto 5.1 cannot create DocumentDB ones):
    encrypted and exporting the audit log in HOME, neither in OTHER; an Aurora cluster
    in HOME that the RDS rules read, not the Neptune ones."""
    for region, good in [(HOME, True), (OTHER, False)]:
        rds = client("rds", region)
        if good:
            rds.create_db_cluster(DBClusterIdentifier="graph", Engine="neptune",
                                  StorageEncrypted=True, EnableCloudwatchLogsExports=["audit"])
            rds.create_db_cluster(DBClusterIdentifier="app", Engine="aurora-postgresql",
                                  MasterUsername="admin", MasterUserPassword="Password123",
                                  StorageEncrypted=True)
        else:
            rds.create_db_cluster(DBClusterIdentifier="graph-legacy", Engine="neptune")


def tags():
    full = [{"Key": "owner", "Value": "payments"},
            {"Key": "data-classification", "Value": "confidential"},
            {"Key": "DataClassification", "Value": "confidential"}]
    table = dict(BillingMode="PAY_PER_REQUEST",
                 AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                 KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    # eu-west-1: approved.
    client("dynamodb", OTHER).create_table(TableName="orders", Tags=full, **table)
    client("ec2", OTHER).create_volume(AvailabilityZone=f"{OTHER}a", Size=8)
    s3 = client("s3")
    s3.create_bucket(Bucket="eu-records", CreateBucketConfiguration={"LocationConstraint": OTHER})
    s3.put_bucket_tagging(Bucket="eu-records", Tagging={"TagSet": full})
    # us-east-1: not approved.
    client("rds").create_db_instance(
        DBInstanceIdentifier="ledger", Engine="postgres", DBInstanceClass="db.t3.micro",
        MasterUsername="admin", MasterUserPassword="Password123", AllocatedStorage=20,
        Tags=full)
    client("dynamodb").create_table(TableName="sessions",
                                    Tags=[{"Key": "owner", "Value": "web"}], **table)
    s3.create_bucket(Bucket="us-scratch")


# The per-service scenarios the bench adds once each (see `bench`).
# `operations` (ECS, EMR) is left out: with its resources, moto 5.1's tagging API
# answers GetResources with HTTP 500.
BENCH_EXTRAS = [iam, services, resources, messaging, datastores, functions, analytics,
                compute, monitoring, edge, graph]

SCENARIOS = {
    "tags": tags,
    "operations": operations,
    "graph": graph,
    "edge": edge,
    "monitoring": monitoring,
    "compute": compute,
    "analytics": analytics,
    "functions": functions,
    "datastores": datastores,
    "messaging": messaging,
    "joins": joins,
    "basic": basic,
    "pagination": pagination,
    "bench": bench,
    "iam": iam,
    "services": services,
    "accounts": accounts,
    "resources": resources,
}
SCENARIOS[SCENARIO]()
print("seeded", SCENARIO, file=sys.stderr)
