terraform {
  required_version = ">= 1.10" # S3 state locking with use_lockfile
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
  backend "s3" {
    bucket       = "emporium-terraform-state"
    key          = "staging/aws.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      Project     = "emporium"
      Environment = "staging"
      ManagedBy   = "terraform"
      Repository  = "emporium/infra/envs/staging/aws"
    }
  }
}
