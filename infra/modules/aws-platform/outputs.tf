# The chart's own values (deploy/helm/emporium): exactly keys values.schema.json defines, nothing else
# (decision 0022; deploy/test/seam.test.ts renders the chart with this shape). infra/scripts/helm-values.ts
# writes them to values-<env>.infra.yaml, the ArgoCD Application's last values file.
output "helm_values" {
  description = "Values for deploy/helm/emporium (infra/README.md: from outputs to the chart)."
  value = {
    image = {
      registry = split("/", module.ecr.repository_urls["gateway"])[0]
    }
    ingress = {
      host = var.domain_name
      # The public ALB in front of ingress-nginx, made by the AWS Load Balancer Controller from the chart's ALB Ingress.
      alb = {
        certificateArn  = module.dns.certificate_arn
        securityGroupId = module.eks.alb_security_group_id
        groupName       = module.dns.ingress_group
      }
    }
    external = {
      kafka = {
        brokers           = module.msk.bootstrap_brokers
        cidrs             = var.private_subnets
        port              = 9092
        replicationFactor = module.msk.replication_factor
      }
      postgres = {
        host  = module.rds.address
        port  = 5432
        cidrs = var.private_subnets
        # A fresh RDS instance: the chart's setup Job creates each service's role and database as the master
        # user, from this Secret (External Secrets, from the RDS-managed secret rds_master_secret_arn).
        masterSecretName = "emporium-postgres-master"
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
        # IRSA: the role of the emporium-products service account.
        serviceAccountAnnotations = { "eks.amazonaws.com/role-arn" = module.service_roles.service_role_arns["products"] }
        env = {
          AWS_REGION            = data.aws_region.this.region
          IMAGES_BUCKET         = module.storage.assets_bucket
          DYNAMODB_TABLE_PREFIX = module.dynamodb.table_prefix
        }
        # The internal NLB the image function calls (its PRODUCTS_URL); the NLB's addresses are in the private subnets.
        targetGroupBinding = {
          targetGroupArn = module.products_endpoint.target_group_arn
          cidrs          = var.private_subnets
        }
      }
    }
  }
}

output "alb_controller_role_arn" {
  description = "IRSA role of kube-system/aws-load-balancer-controller (runbook step 5)."
  value       = module.service_roles.alb_controller_role_arn
}

output "rds_master_secret_arn" {
  description = "RDS-managed master secret: the ExternalSecret behind emporium-postgres-master reads it."
  value       = module.rds.master_secret_arn
}

output "products_internal_url" {
  description = "The products service inside the VPC (the image function's PRODUCTS_URL)."
  value       = module.products_endpoint.url
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
