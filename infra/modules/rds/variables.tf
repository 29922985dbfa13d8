variable "name" {
  description = "Instance identifier."
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

variable "engine_version" {
  description = "PostgreSQL version."
  type        = string
  default     = "15"
}

variable "instance_class" {
  description = "Instance class."
  type        = string
}

variable "allocated_storage_gb" {
  description = "Storage at creation."
  type        = number
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling."
  type        = number
  default     = 100
}

variable "multi_az" {
  description = "Standby in the second AZ."
  type        = bool
}

variable "backup_retention_days" {
  description = "Automated backup retention."
  type        = number
  default     = 7
}

variable "deletion_protection" {
  description = "Refuse deletion."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Key for storage, the master secret and Performance Insights."
  type        = string
}

variable "databases" {
  description = "One database per service; created by the chart's database job with the master secret."
  type        = list(string)
}
