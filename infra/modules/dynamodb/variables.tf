variable "table_prefix" {
  description = "DYNAMODB_TABLE_PREFIX of the products service, e.g. \"staging-\"; empty in production."
  type        = string
  default     = ""
}

variable "deletion_protection" {
  description = "Refuse table deletion."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Key the tables are encrypted with."
  type        = string
}
