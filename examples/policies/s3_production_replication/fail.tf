resource "aws_s3_bucket" "orders" { # expect: CUSTOM-S3-REPL-001
  bucket = "example-orders"
  tags = {
    environment = "production"
  }
}

# Not production: not judged.
resource "aws_s3_bucket" "scratch" {
  bucket = "example-scratch"
  tags = {
    environment = "staging"
  }
}
