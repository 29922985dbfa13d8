# Everything one environment runs on AWS, wired together; the environment composition only sets numbers.
data "aws_caller_identity" "this" {}
data "aws_region" "this" {}

locals {
  name         = "emporium-${var.environment}"
  cluster_name = "emporium-${var.environment}"
  # Where ArgoCD releases the chart (deploy/argocd/applicationset.yaml).
  namespace = "emporium-${var.environment}"
  services  = ["gateway", "users", "products", "orders", "payments", "notifications", "analytics"]
}

module "kms" {
  source = "../kms"
  name   = local.name
}

module "network" {
  source             = "../network"
  name               = local.name
  cluster_name       = local.cluster_name
  cidr               = var.vpc_cidr
  azs                = var.azs
  public_subnets     = var.public_subnets
  private_subnets    = var.private_subnets
  single_nat_gateway = var.single_nat_gateway
  logs_kms_key_arn   = module.kms.key_arn
}

module "eks" {
  source              = "../eks"
  cluster_name        = local.cluster_name
  kubernetes_version  = var.kubernetes_version
  vpc_id              = module.network.vpc_id
  private_subnet_ids  = module.network.private_subnet_ids
  public_subnet_ids   = module.network.public_subnet_ids
  public_access_cidrs = var.eks_public_access_cidrs
  node_instance_type  = var.node_instance_type
  node_capacity_type  = var.node_capacity_type
  node_min_size       = var.node_min_size
  node_max_size       = var.node_max_size
  kms_key_arn         = module.kms.key_arn
  admin_role_arns     = var.eks_admin_role_arns
}

module "rds" {
  source                 = "../rds"
  name                   = local.name
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  node_security_group_id = module.eks.node_security_group_id
  instance_class         = var.db_instance_class
  allocated_storage_gb   = var.db_allocated_storage_gb
  multi_az               = var.db_multi_az
  deletion_protection    = var.deletion_protection
  kms_key_arn            = module.kms.key_arn
  databases              = ["users", "orders", "payments", "notifications", "analytics"]
}

module "dynamodb" {
  source              = "../dynamodb"
  table_prefix        = var.dynamodb_table_prefix
  deletion_protection = var.deletion_protection
  kms_key_arn         = module.kms.key_arn
}

module "redis" {
  source                 = "../redis"
  name                   = local.name
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  node_security_group_id = module.eks.node_security_group_id
  node_type              = var.redis_node_type
  replicas               = var.redis_replicas
  auth_token             = var.redis_auth_token
  kms_key_arn            = module.kms.key_arn
}

module "msk" {
  source                 = "../msk"
  name                   = local.name
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  node_security_group_id = module.eks.node_security_group_id
  gcp_cidrs              = [var.gcp_subnet_cidr]
  instance_type          = var.msk_instance_type
  broker_count           = var.msk_broker_count
  kms_key_arn            = module.kms.key_arn
}

module "storage" {
  source         = "../storage"
  name           = "${local.name}-${data.aws_caller_identity.this.account_id}"
  kms_key_arn    = module.kms.key_arn
  upload_origins = ["https://${var.domain_name}"]
}

module "ecr" {
  source       = "../ecr"
  prefix       = "emporium"
  repositories = var.images
  kms_key_arn  = module.kms.key_arn
}

module "products_endpoint" {
  source                 = "../products-endpoint"
  name                   = "${local.name}-products"
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  node_security_group_id = module.eks.node_security_group_id
  deletion_protection    = var.deletion_protection
}

module "image_function" {
  source                     = "../image-function"
  name                       = "${local.name}-product-images"
  account_id                 = data.aws_caller_identity.this.account_id
  image_uri                  = "${module.ecr.repository_urls["product-images"]}:${var.product_images_tag}"
  bucket_id                  = module.storage.assets_bucket
  bucket_arn                 = module.storage.assets_bucket_arn
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  products_security_group_id = module.products_endpoint.security_group_id
  products_url               = module.products_endpoint.url
  service_private_key        = var.product_images_service_key
  kms_key_arn                = module.kms.key_arn
}

module "service_roles" {
  source                     = "../service-roles"
  name                       = local.name
  cluster_name               = local.cluster_name
  namespace                  = local.namespace
  bound_target_group_arns    = [module.products_endpoint.target_group_arn]
  oidc_provider_arn          = module.eks.oidc_provider_arn
  oidc_issuer                = module.eks.oidc_issuer
  product_table_arns         = module.dynamodb.table_arns
  images_bucket_arn          = module.storage.assets_bucket_arn
  kms_key_arn                = module.kms.key_arn
  managed_security_group_ids = [module.eks.node_security_group_id, module.eks.alb_security_group_id]
}

module "dns" {
  source       = "../dns"
  zone_name    = var.zone_name
  domain_name  = var.domain_name
  cluster_name = local.cluster_name
  alb_ready    = var.alb_ready
}

module "monitoring" {
  source                 = "../monitoring"
  environment            = var.environment
  services               = concat(local.services, ["argocd"])
  billing_thresholds_usd = var.billing_thresholds_usd
  alarm_emails           = var.alarm_emails
  kms_key_arn            = module.kms.key_arn
}

module "vpn" {
  source                  = "../vpn-aws"
  name                    = "${local.name}-gcp"
  vpc_id                  = module.network.vpc_id
  route_table_ids         = module.network.private_route_table_ids
  gcp_asn                 = var.gcp_asn
  gcp_interface_addresses = var.gcp_vpn_interface_addresses
  kms_key_arn             = module.kms.key_arn
}
