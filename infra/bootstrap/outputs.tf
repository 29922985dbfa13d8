output "role_arns" {
  description = "Set as repository variables AWS_IMAGES_ROLE_ARN, AWS_PLAN_ROLE_ARN, AWS_APPLY_ROLE_ARN."
  value       = { for k, r in aws_iam_role.github : k => r.arn }
}
