variable "cluster_name" {
  description = "EKS cluster name."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version (the document: 1.27 or later)."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "private_subnet_ids" {
  description = "Subnets of the nodes."
  type        = list(string)
}

variable "public_subnet_ids" {
  description = "Subnets of the public load balancers."
  type        = list(string)
}

variable "public_access_cidrs" {
  description = "Who may reach the Kubernetes API from outside the VPC; empty keeps it private."
  type        = list(string)
  default     = []
}

variable "node_instance_type" {
  description = "Instance type of the managed node group."
  type        = string
}

variable "node_capacity_type" {
  description = "ON_DEMAND, or SPOT for non-production environments."
  type        = string
  default     = "ON_DEMAND"
}

variable "node_min_size" {
  description = "Fewest nodes."
  type        = number
}

variable "node_max_size" {
  description = "Most nodes."
  type        = number
}

variable "kms_key_arn" {
  description = "Key for Kubernetes secrets, node volumes and logs."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the control-plane logs."
  type        = number
  default     = 365
}

variable "admin_role_arns" {
  description = "IAM roles given cluster-admin through EKS access entries."
  type        = list(string)
  default     = []
}
