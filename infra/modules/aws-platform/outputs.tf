# What the Helm values need (infra/README.md: "From outputs to the chart").
output "helm_values" {
  description = "Values for deploy/helm/emporium (written to values-<env>.infra.yaml by infra/scripts)."
  value = {
    global = {
      awsRegion     = data.aws_region.this.region
      domain        = var.domain_name
      imageRegistry = split("/", module.ecr.repository_urls["gateway"])[0]
    }
    ingress = {
      certificateArn  = module.dns.certificate_arn
      securityGroupId = module.eks.alb_security_group_id
    }
    serviceAccounts = {
      roleArns = module.service_roles.role_arns
    }
    postgres = {
      host            = module.rds.address
      port            = 5432
      masterSecretArn = module.rds.master_secret_arn
      databases       = module.rds.databases
    }
    kafka = {
      brokers           = module.msk.bootstrap_brokers
      replicationFactor = module.msk.replication_factor
    }
    redis = {
      host = module.redis.primary_endpoint
      port = 6379
      tls  = true
    }
    dynamodb = {
      tablePrefix = module.dynamodb.table_prefix
    }
    images = {
      bucket = module.storage.assets_bucket
      origin = "https://${module.storage.assets_bucket_regional_domain}"
    }
    logGroups = module.monitoring.log_groups
  }
}

output "cluster_name" {
  description = "EKS cluster (aws eks update-kubeconfig --name)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API (the ArgoCD cluster secret)."
  value       = module.eks.cluster_endpoint
}

output "msk_bootstrap_brokers_tls" {
  description = "KAFKA_BROKERS of the Flink job on Dataproc (TLS over the VPN)."
  value       = module.msk.bootstrap_brokers_tls
}

output "ecr_repository_urls" {
  description = "Repository per image."
  value       = module.ecr.repository_urls
}

output "product_images_dead_letter_queue" {
  description = "Where failed image events wait for a replay."
  value       = module.image_function.dead_letter_queue_url
}

output "vpn_tunnels" {
  description = "For the GCP stack's VPN half."
  value       = module.vpn.vpn_tunnels
  sensitive   = true
}

output "vpc_cidr" {
  description = "The VPC range."
  value       = module.network.vpc_cidr
}
