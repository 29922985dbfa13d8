output "assets_bucket" {
  description = "IMAGES_BUCKET of products and the image function."
  value       = aws_s3_bucket.this["assets"].id
}

output "assets_bucket_arn" {
  description = "ARN of the assets bucket."
  value       = aws_s3_bucket.this["assets"].arn
}

output "assets_bucket_regional_domain" {
  description = "Origin for ASSETS_ORIGIN_URL or a CDN."
  value       = aws_s3_bucket.this["assets"].bucket_regional_domain_name
}

output "backups_bucket" {
  description = "Backups bucket."
  value       = aws_s3_bucket.this["backups"].id
}
