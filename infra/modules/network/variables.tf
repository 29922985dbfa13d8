variable "name" {
  description = "Name prefix, e.g. emporium-production."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster the subnets are tagged for (load balancer discovery)."
  type        = string
}

variable "cidr" {
  description = "VPC range."
  type        = string
}

variable "azs" {
  description = "Availability zones, in the order of the subnet lists."
  type        = list(string)
}

variable "public_subnets" {
  description = "One public subnet per AZ."
  type        = list(string)
}

variable "private_subnets" {
  description = "One private subnet per AZ."
  type        = list(string)
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all AZs (staging) instead of one per AZ."
  type        = bool
  default     = false
}

variable "flow_log_retention_days" {
  description = "How long VPC flow logs are kept."
  type        = number
  default     = 365
}

variable "logs_kms_key_arn" {
  description = "KMS key the log groups are encrypted with."
  type        = string
}
