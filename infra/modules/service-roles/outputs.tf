output "service_role_arns" {
  description = "Role ARN per chart service (its emporium-<service> account's eks.amazonaws.com/role-arn annotation)."
  value       = { for svc in keys(local.service_policies) : svc => aws_iam_role.this[svc].arn }
}

output "alb_controller_role_arn" {
  description = "Role of kube-system/aws-load-balancer-controller (installed with the cluster, not by the chart)."
  value       = aws_iam_role.this["aws-load-balancer-controller"].arn
}
