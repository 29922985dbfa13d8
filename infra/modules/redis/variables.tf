variable "name" {
  description = "Replication group id."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of both AZs."
  type        = list(string)
}

variable "node_security_group_id" {
  description = "The EKS nodes' group, the only source admitted."
  type        = string
}

variable "node_type" {
  description = "Cache node type."
  type        = string
  default     = "cache.t3.micro"
}

variable "replicas" {
  description = "Replicas besides the primary (1: one per AZ)."
  type        = number
  default     = 1
}

variable "auth_token" {
  description = "Redis AUTH token (from a secret variable, never in tfvars)."
  type        = string
  sensitive   = true
}

variable "kms_key_arn" {
  description = "Key for data at rest."
  type        = string
}
