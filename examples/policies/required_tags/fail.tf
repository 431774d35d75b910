resource "aws_s3_bucket" "untagged" { # expect: CUSTOM-TAGS-001
  bucket = "example-untagged"
}

resource "aws_dynamodb_table" "owner_only" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  tags = { # expect: CUSTOM-TAGS-001
    owner = "payments"
  }
}
