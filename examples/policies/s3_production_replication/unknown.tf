variable "environment" {
  type = string
}

resource "aws_s3_bucket" "env_from_var" {
  bucket = "example-env-from-var"
  tags = { # expect-not-evaluated: CUSTOM-S3-REPL-001
    environment = var.environment
  }
}
