variable "name" {
  description = "Function name."
  type        = string
}

variable "account_id" {
  description = "Account that owns the bucket (confused-deputy guard on the invoke permission)."
  type        = string
}

variable "image_uri" {
  description = "ECR image of functions/product-images (repository:tag)."
  type        = string
}

variable "bucket_id" {
  description = "The assets bucket."
  type        = string
}

variable "bucket_arn" {
  description = "ARN of the assets bucket."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the function runs in."
  type        = list(string)
}

variable "products_security_group_id" {
  description = "The group of the products service's internal NLB (modules/products-endpoint)."
  type        = string
}

variable "products_url" {
  description = "PRODUCTS_URL: the products service's internal endpoint reachable from the VPC."
  type        = string
}

variable "products_port" {
  description = "Port of the products service's internal NLB."
  type        = number
  default     = 5002
}

variable "service_private_key" {
  description = "SERVICE_PRIVATE_KEY (Ed25519 JWK) of the product-images service identity."
  type        = string
  sensitive   = true
}

variable "max_upload_bytes" {
  description = "Same cap as the products service's IMAGE_UPLOAD_MAX_BYTES."
  type        = number
  default     = 10485760
}

variable "reserved_concurrency" {
  description = "Most concurrent invocations (protects the products service)."
  type        = number
  default     = 10
}

variable "log_retention_days" {
  description = "Function log retention."
  type        = number
  default     = 365
}

variable "kms_key_arn" {
  description = "Key for environment variables, logs and the queue."
  type        = string
}
