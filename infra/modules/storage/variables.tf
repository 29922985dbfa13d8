variable "name" {
  description = "Bucket name prefix (globally unique), e.g. emporium-production-123456789012."
  type        = string
}

variable "kms_key_arn" {
  description = "Key for the assets and backups buckets."
  type        = string
}

variable "upload_origins" {
  description = "Origins of the web UI that PUT uploads (CORS)."
  type        = list(string)
}

variable "upload_expiry_days" {
  description = "Days an original under uploads/ is kept."
  type        = number
  default     = 7
}

variable "backup_retention_days" {
  description = "Days a backup is kept (after 30 in Glacier)."
  type        = number
  default     = 365
}
