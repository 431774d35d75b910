resource "aws_s3_bucket" "ledger" {
  bucket = "example-ledger"
  tags = {
    environment = "production"
  }
}

resource "aws_s3_bucket_versioning" "ledger" {
  bucket = aws_s3_bucket.ledger.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_replication_configuration" "ledger" {
  bucket = aws_s3_bucket.ledger.id
  role   = "arn:aws:iam::123456789012:role/replication"
  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket = "arn:aws:s3:::example-ledger-replica"
    }
  }
}
