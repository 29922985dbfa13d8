output "url" {
  description = "PRODUCTS_URL for callers inside the VPC."
  value       = "http://${aws_lb.this.dns_name}:${var.port}"
}

output "target_group_arn" {
  description = "Target group the chart's TargetGroupBinding fills with the products pods."
  value       = aws_lb_target_group.this.arn
}

output "security_group_id" {
  description = "The NLB's group: callers add an egress rule to it and an ingress rule on it."
  value       = aws_security_group.this.id
}
