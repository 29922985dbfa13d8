output "role_arns" {
  description = "Role ARN per service account (namespace/name), for the eks.amazonaws.com/role-arn annotation."
  value       = { for k, r in aws_iam_role.this : k => r.arn }
}
