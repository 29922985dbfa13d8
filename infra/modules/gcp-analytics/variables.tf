variable "name" {
  description = "Name of the network, cluster and service account, e.g. emporium-analytics-prod."
  type        = string
}

variable "region" {
  description = "GCP region (us-east4 sits next to AWS us-east-1)."
  type        = string
}

variable "subnet_cidr" {
  description = "The Dataproc subnet: the \"GCP IP range\" MSK admits."
  type        = string
}

variable "bucket_prefix" {
  description = "Globally unique bucket name prefix."
  type        = string
}

variable "bucket_location" {
  description = "Bucket location (the cluster's region)."
  type        = string
}

variable "machine_type" {
  description = "Machine type of master and workers."
  type        = string
}

variable "master_count" {
  description = "Masters."
  type        = number
}

variable "worker_count" {
  description = "Primary workers."
  type        = number
}

variable "image_version" {
  description = "Dataproc image with the Flink component."
  type        = string
  default     = "2.2-debian12"
}

variable "initialization_scripts" {
  description = "gs:// scripts run on each node at creation (e.g. installing the job's Flink 2.2 distribution)."
  type        = list(string)
  default     = []
}
