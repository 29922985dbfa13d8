variable "name" {
  description = "Name prefix of the roles."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster (the ALB controller's tag scope)."
  type        = string
}

variable "namespace" {
  description = "Namespace the chart is released in (emporium-<environment>); its accounts are emporium-<service>."
  type        = string
}

variable "bound_target_group_arns" {
  description = "Target groups Terraform made that the chart binds pods to (TargetGroupBinding)."
  type        = list(string)
}

variable "oidc_provider_arn" {
  description = "The cluster's IAM OIDC provider."
  type        = string
}

variable "oidc_issuer" {
  description = "The issuer without https://."
  type        = string
}

variable "product_table_arns" {
  description = "ARNs of the products service's DynamoDB tables."
  type        = list(string)
}

variable "images_bucket_arn" {
  description = "The product images bucket."
  type        = string
}

variable "kms_key_arn" {
  description = "Key the images bucket is encrypted with."
  type        = string
}

variable "managed_security_group_ids" {
  description = "Security groups the ALB controller may add rules to (the nodes')."
  type        = list(string)
}
