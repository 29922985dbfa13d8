# Production on GCP: the document's Dataproc Flink cluster (1 master + 2 workers, n1-standard-2).
data "terraform_remote_state" "aws" {
  backend = "s3"
  config = {
    bucket = "emporium-terraform-state"
    key    = "production/aws.tfstate"
    region = "us-east-1"
  }
  # First apply: no AWS stack yet, so no tunnels.
  defaults = {
    vpn_tunnels               = []
    vpc_cidr                  = "10.0.0.0/16"
    msk_bootstrap_brokers_tls = ""
  }
}

module "platform" {
  source      = "../../../modules/gcp-platform"
  environment = "production"
  project_id  = var.project_id
  region      = "us-east4"

  subnet_cidr  = "10.20.0.0/24"
  aws_vpc_cidr = data.terraform_remote_state.aws.outputs.vpc_cidr
  gcp_asn      = 65010

  machine_type = "n1-standard-2"
  master_count = 1
  worker_count = 2

  aws_vpn_tunnels = data.terraform_remote_state.aws.outputs.vpn_tunnels
}
