variable "name" {
  description = "Cluster name."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "subnet_ids" {
  description = "One private subnet per broker's AZ."
  type        = list(string)
}

variable "node_security_group_id" {
  description = "The EKS nodes' group."
  type        = string
}

variable "gcp_cidrs" {
  description = "GCP ranges (the Dataproc subnet) admitted over the VPN."
  type        = list(string)
}

variable "kafka_version" {
  description = "Kafka version (the local platform runs 4.1; move to a 4.x KRaft version once MSK offers it on kafka.t3.small)."
  type        = string
  default     = "3.9.x"
}

variable "instance_type" {
  description = "Broker instance type."
  type        = string
}

variable "broker_count" {
  description = "Brokers (a multiple of the AZ count); also the topics' replication factor."
  type        = number
}

variable "volume_size_gb" {
  description = "EBS per broker."
  type        = number
  default     = 50
}

variable "client_broker" {
  description = "Client encryption: TLS_PLAINTEXT while the services' clients are plaintext, then TLS."
  type        = string
  default     = "TLS_PLAINTEXT"
}

variable "log_retention_days" {
  description = "Broker log retention."
  type        = number
  default     = 365
}

variable "kms_key_arn" {
  description = "Key for data at rest and logs."
  type        = string
}
