variable "environment" {
  description = "staging or production."
  type        = string
}

variable "services" {
  description = "Services with a log group."
  type        = list(string)
}

variable "log_retention_days" {
  description = "Service log retention."
  type        = number
  default     = 365
}

variable "billing_thresholds_usd" {
  description = "Month-to-date USD amounts that raise an alarm."
  type        = list(number)
}

variable "alarm_emails" {
  description = "Addresses the alarms are mailed to."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "Key for logs and the topic."
  type        = string
}
