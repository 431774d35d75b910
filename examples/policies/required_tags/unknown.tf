variable "tags" {
  type = map(string)
}

resource "aws_s3_bucket" "tags_from_var" {
  bucket = "example-tags-from-var"
  tags   = var.tags # expect-not-evaluated: CUSTOM-TAGS-001
}
