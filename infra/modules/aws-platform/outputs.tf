# The chart's values (deploy/helm/emporium, same keys), from what was created: infra/scripts/helm-values.ts
# writes them to values-<env>.infra.yaml, which the ArgoCD Application lists after values-<env>.yaml.
output "helm_values" {
  description = "Values for deploy/helm/emporium (infra/README.md: from outputs to the chart)."
  value = {
    image = {
      registry = split("/", module.ecr.repository_urls["gateway"])[0]
    }
    ingress = {
      host = var.domain_name
    }
    # The ALB in front of ingress-nginx (made by the AWS Load Balancer Controller).
    alb = {
      certificateArn  = module.dns.certificate_arn
      securityGroupId = module.eks.alb_security_group_id
      groupName       = "emporium"
    }
    external = {
      kafka = {
        brokers           = module.msk.bootstrap_brokers
        cidrs             = var.private_subnets
        port              = 9092
        replicationFactor = module.msk.replication_factor
      }
      postgres = {
        host            = module.rds.address
        port            = 5432
        cidrs           = var.private_subnets
        masterSecretArn = module.rds.master_secret_arn
        databases       = module.rds.databases
      }
      redis = {
        # The AUTH token is added from the Kubernetes secret, never written here.
        url   = "rediss://${module.redis.primary_endpoint}:6379"
        cidrs = var.private_subnets
        port  = 6379
      }
    }
    services = {
      products = {
        env = {
          AWS_REGION            = data.aws_region.this.region
          IMAGES_BUCKET         = module.storage.assets_bucket
          DYNAMODB_TABLE_PREFIX = module.dynamodb.table_prefix
        }
      }
    }
    # IRSA: annotate each service account with its role.
    serviceAccounts = {
      for sa, arn in module.service_roles.role_arns : split("/", sa)[1] => {
        namespace   = split("/", sa)[0]
        annotations = { "eks.amazonaws.com/role-arn" = arn }
      }
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
