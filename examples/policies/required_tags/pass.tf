resource "aws_s3_bucket" "tagged" {
  bucket = "example-tagged"
  tags = {
    owner               = "payments"
    data-classification = "confidential"
  }
}
