output "repository_urls" {
  description = "Repository URL per image, for the chart's image.repository."
  value       = { for k, r in aws_ecr_repository.this : k => r.repository_url }
}

output "repository_arns" {
  description = "Repository ARNs (the CI push role's scope)."
  value       = [for r in aws_ecr_repository.this : r.arn]
}
