# Everything one environment runs on GCP: the analytics cluster and its buckets, and the VPN half.
module "analytics" {
  source          = "../gcp-analytics"
  name            = "emporium-analytics-${var.environment}"
  region          = var.region
  subnet_cidr     = var.subnet_cidr
  bucket_prefix   = "emporium-${var.environment}-${var.project_id}"
  bucket_location = upper(var.region)
  machine_type    = var.machine_type
  master_count    = var.master_count
  worker_count    = var.worker_count
}

module "vpn" {
  source       = "../vpn-gcp"
  name         = "emporium-${var.environment}-aws"
  region       = var.region
  network_id   = module.analytics.network_id
  subnet_cidr  = var.subnet_cidr
  aws_vpc_cidr = var.aws_vpc_cidr
  gcp_asn      = var.gcp_asn
  aws_tunnels  = var.aws_vpn_tunnels
}
