# A Terraform bucket has no region in the model: the policy does not judge it.
resource "aws_s3_bucket" "no_region" {
  bucket = "example-no-region"
}
