# Fixture for tests/report.rs: the reporters read snippets from this file.

resource "aws_s3_bucket" "data" {
  bucket = "acme-customer-data"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket" "legacy" {
  # soc2scan:ignore AWS-S3-001 reason="public marketing assets, no customer data" until=2026-06-30
  bucket = "acme-legacy-assets"
}

resource "aws_db_instance" "app" {
  identifier              = "app"
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  username                = "app"
  password                = "hunter2"
  master_user_secret_kms_key_id = var.kms_key_arn
  storage_encrypted       = false
  backup_retention_period = var.backup_days
  skip_final_snapshot     = true
  tags = {
    Name = "app"
  }
}

resource "aws_s3_bucket" "tenant" {
  bucket = "acme-tenant"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "tenant" {
  bucket = aws_s3_bucket.tenant.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.sse_algorithm
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "acme-trail"
  enable_log_file_validation = true
}
