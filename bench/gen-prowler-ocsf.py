#!/usr/bin/env python3
"""Write a synthetic Prowler JSON-OCSF scan of about SIZE_MB megabytes to OUT.

Usage: bench/gen-prowler-ocsf.py OUT SIZE_MB

The findings have the shape of `prowler aws --output-formats json-ocsf`
(one JSON array, one object per finding) and cycle through real Prowler
check ids of the built-in library, with one FAIL in 20 and one muted FAIL
in 200, over 5,000 resources. The same arguments give the same bytes.
Written as a stream: the generator holds one finding at a time.
"""
import json
import sys

CHECKS = [
    ("iam_root_mfa_enabled", "iam", "AwsIamUser"),
    ("iam_user_mfa_enabled_console_access", "iam", "AwsIamUser"),
    ("cloudtrail_multi_region_enabled", "cloudtrail", "AwsCloudTrailTrail"),
    ("cloudtrail_log_file_validation_enabled", "cloudtrail", "AwsCloudTrailTrail"),
    ("s3_bucket_default_encryption", "s3", "AwsS3Bucket"),
    ("s3_bucket_kms_encryption", "s3", "AwsS3Bucket"),
    ("s3_bucket_secure_transport_policy", "s3", "AwsS3Bucket"),
    ("ec2_ebs_volume_encryption", "ec2", "AwsEc2Volume"),
    ("rds_instance_storage_encrypted", "rds", "AwsRdsDbInstance"),
    ("rds_instance_backup_enabled", "rds", "AwsRdsDbInstance"),
    ("vpc_flow_logs_enabled", "vpc", "AwsEc2Vpc"),
    ("guardduty_is_enabled", "guardduty", "AwsGuardDutyDetector"),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22", "ec2", "AwsEc2SecurityGroup"),
    ("ec2_instance_managed_by_ssm", "ssm", "AwsEc2Instance"),
    ("kms_cmk_rotation_enabled", "kms", "AwsKmsKey"),
    ("ssm_managed_compliant_patching", "ssm", "AwsEc2Instance"),
]
ACCOUNT = "111122223333"
START = 1790575964  # 2026-09-28T06:12:44Z


def finding(i):
    check, service, rtype = CHECKS[i % len(CHECKS)]
    status = "FAIL" if i % 20 == 7 else "PASS"
    muted = i % 200 == 7
    region = ["us-east-1", "us-west-2", "eu-west-1"][i % 3]
    name = f"{service}-resource-{i % 5000:05d}"
    uid = f"arn:aws:{service}:{region}:{ACCOUNT}:{name}"
    t = START + i // 1000
    return {
        "message": f"{check} on {name}: {status}",
        "metadata": {
            "event_code": check,
            "product": {"name": "Prowler", "uid": "prowler", "vendor_name": "Prowler", "version": "4.5.1"},
            "profiles": ["cloud", "datetime"],
            "version": "1.3.0",
        },
        "severity_id": 3,
        "severity": "Medium",
        "status": "Suppressed" if muted else "New",
        "status_code": status,
        "status_detail": f"{check} evaluated {name}.",
        "status_id": 3 if muted else 1,
        "activity_name": "Create",
        "activity_id": 1,
        "finding_info": {
            "created_time": t,
            "desc": f"Checks {check}.",
            "title": check.replace("_", " "),
            "types": ["Software and Configuration Checks"],
            "uid": f"prowler-aws-{check}-{ACCOUNT}-{region}-{name}-{i}",
        },
        "resources": [{
            "cloud_partition": "aws", "region": region, "data": {"details": "", "metadata": {}},
            "group": {"name": service}, "labels": [], "name": name, "type": rtype, "uid": uid,
        }],
        "category_name": "Findings", "category_uid": 2,
        "class_name": "Detection Finding", "class_uid": 2004,
        "cloud": {"account": {"name": "acme-payments-prod", "type": "AWS Account", "type_id": 10,
                              "uid": ACCOUNT, "labels": []},
                  "org": {"name": "", "uid": ""}, "provider": "aws", "region": region},
        "remediation": {"desc": "See the check's documentation.", "references": []},
        "risk_details": "",
        "time": t,
        "type_uid": 200401,
        "type_name": "Detection Finding: Create",
    }


def main():
    out, size_mb = sys.argv[1], float(sys.argv[2])
    limit = int(size_mb * 1_000_000)
    written, i = 0, 0
    with open(out, "w", encoding="utf-8") as f:
        f.write("[\n")
        written += 2
        while written < limit:
            text = ("" if i == 0 else ",\n") + json.dumps(finding(i), indent=2)
            f.write(text)
            written += len(text)
            i += 1
        f.write("\n]\n")
    print(f"{out}: {i} findings, {written + 3} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
