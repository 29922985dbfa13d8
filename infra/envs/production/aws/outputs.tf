output "helm_values" {
  description = "Values for the chart (infra/scripts/helm-values.sh writes them to deploy/helm/emporium)."
  value       = module.platform.helm_values
}

output "cluster_name" {
  description = "EKS cluster."
  value       = module.platform.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API."
  value       = module.platform.cluster_endpoint
}

output "msk_bootstrap_brokers_tls" {
  description = "The Flink job's KAFKA_BROKERS."
  value       = module.platform.msk_bootstrap_brokers_tls
}

output "ecr_repository_urls" {
  description = "Repository per image."
  value       = module.platform.ecr_repository_urls
}

output "vpn_tunnels" {
  description = "Read by the GCP stack."
  value       = module.platform.vpn_tunnels
  sensitive   = true
}

output "vpc_cidr" {
  description = "Read by the GCP stack."
  value       = module.platform.vpc_cidr
}

output "alb_controller_role_arn" {
  description = "Role for the AWS Load Balancer Controller's service account."
  value       = module.platform.alb_controller_role_arn
}

output "rds_master_secret_arn" {
  description = "Source of the emporium-postgres-master Secret (External Secrets)."
  value       = module.platform.rds_master_secret_arn
}

output "products_internal_url" {
  description = "The image function's PRODUCTS_URL."
  value       = module.platform.products_internal_url
}
