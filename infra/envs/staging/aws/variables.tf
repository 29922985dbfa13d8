variable "redis_auth_token" {
  description = "Redis AUTH token (TF_VAR_redis_auth_token from the CI secret store)."
  type        = string
  sensitive   = true
}

variable "product_images_service_key" {
  description = "SERVICE_PRIVATE_KEY of the product-images function (TF_VAR_product_images_service_key)."
  type        = string
  sensitive   = true
}

variable "product_images_tag" {
  description = "Image tag of the function (CI sets it to the commit it built)."
  type        = string
}

variable "alb_ready" {
  description = "Set to true once ArgoCD has synced the chart and its ALB exists."
  type        = bool
  default     = false
}

variable "alarm_emails" {
  description = "Who gets the billing and health alarms."
  type        = list(string)
  default     = []
}
