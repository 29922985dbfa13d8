terraform {
  required_version = ">= 1.10"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "8.0.0"
    }
  }
  # State of both clouds lives in the one S3 bucket, so either stack can read the other's outputs.
  backend "s3" {
    bucket       = "emporium-terraform-state"
    key          = "production/gcp.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "google" {
  project = var.project_id
  region  = "us-east4"
  default_labels = {
    project     = "emporium"
    environment = "production"
    managed-by  = "terraform"
  }
}
