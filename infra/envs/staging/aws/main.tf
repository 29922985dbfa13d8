# Staging: production's shape at less cost (one NAT gateway, spot nodes, single-AZ database, no deletion guard).
data "terraform_remote_state" "gcp" {
  backend = "s3"
  config = {
    bucket = "emporium-terraform-state"
    key    = "staging/gcp.tfstate"
    region = "us-east-1"
  }
  # The GCP stack is applied first (infra/README.md); until then there is no VPN peer.
  defaults = {
    vpn_interface_addresses = []
  }
}

module "platform" {
  source      = "../../../modules/aws-platform"
  environment = "staging"

  vpc_cidr           = "10.0.0.0/16"
  azs                = ["us-east-1a", "us-east-1b"]
  public_subnets     = ["10.0.0.0/24", "10.0.1.0/24"]
  private_subnets    = ["10.0.10.0/24", "10.0.11.0/24"]
  single_nat_gateway = true

  kubernetes_version = "1.35"
  node_instance_type = "t3.medium"
  node_capacity_type = "SPOT"
  node_min_size      = 2
  node_max_size      = 4

  db_instance_class       = "db.t3.micro"
  db_allocated_storage_gb = 20
  db_multi_az             = false
  deletion_protection     = false

  dynamodb_table_prefix = "staging-"

  redis_node_type  = "cache.t3.micro"
  redis_replicas   = 0
  redis_auth_token = var.redis_auth_token

  msk_instance_type = "kafka.t3.small"
  msk_broker_count  = 2

  gcp_subnet_cidr             = "10.20.0.0/24"
  gcp_asn                     = 65010
  gcp_vpn_interface_addresses = data.terraform_remote_state.gcp.outputs.vpn_interface_addresses

  images                     = jsondecode(file("${path.root}/../../../../.github/images.json")).images[*].name
  product_images_tag         = var.product_images_tag
  product_images_service_key = var.product_images_service_key

  zone_name   = "emporium.example.com"
  domain_name = "shop.staging.emporium.example.com"
  alb_ready   = var.alb_ready

  # Staging costs less than production (see infra/README.md): alarm well under the document's ~$478.
  billing_thresholds_usd = [250, 350]
  alarm_emails           = var.alarm_emails
}
