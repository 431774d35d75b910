#!/usr/bin/env python3
"""Writes a Terraform state (format version 4) that manages every live AWS resource of a
model document, for the drift benchmark (scripts/bench-live).

Usage: state_from_model.py MODEL_JSON > terraform.tfstate

MODEL_JSON is the output of `soc2scan model --aws ...`. Each resource read from AWS (an
origin with an ARN) becomes one managed resource of its Terraform type with the
identifiers a provider records (`arn`, `id`, `region`, and `bucket` for S3), so drift
matches every live resource to a state entry by ARN. The state holds no other
attributes: the declared side of each resource is its Terraform defaults, as for a
configuration that sets nothing.
"""
import json
import sys


def resources(model):
    """(rtype, arn, region) of every resource read from AWS, once each."""
    seen = set()
    for items in (model.get("model", {}).get("aws") or {}).values():
        if not isinstance(items, list):
            continue
        for item in items:
            meta = item.get("meta") if isinstance(item, dict) else None
            origin = (meta or {}).get("origin") or {}
            arn = origin.get("arn")
            if origin.get("source") != "aws" or not arn or not meta.get("rtype"):
                continue
            key = (meta["rtype"], arn)
            if key not in seen:
                seen.add(key)
                yield meta["rtype"], arn, origin.get("region")


def main():
    model = json.load(open(sys.argv[1]))
    out = []
    for n, (rtype, arn, region) in enumerate(sorted(resources(model))):
        ident = arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        attributes = {"arn": arn, "id": ident}
        if region:
            attributes["region"] = region
        if rtype == "aws_s3_bucket":
            attributes["bucket"] = ident
        out.append({"mode": "managed", "type": rtype, "name": f"r{n}",
                    "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                    "instances": [{"schema_version": 0, "attributes": attributes}]})
    json.dump({"version": 4, "terraform_version": "1.9.0", "serial": 1,
               "lineage": "soc2scan-bench", "outputs": {}, "resources": out}, sys.stdout,
              indent=1)


if __name__ == "__main__":
    main()
