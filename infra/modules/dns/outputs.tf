output "certificate_arn" {
  description = "For alb.ingress.kubernetes.io/certificate-arn."
  value       = aws_acm_certificate_validation.this.certificate_arn
}

output "domain_name" {
  description = "Public host."
  value       = var.domain_name
}

output "ingress_group" {
  description = "alb.ingress.kubernetes.io/group.name the records' ALB is found by."
  value       = var.ingress_group
}
