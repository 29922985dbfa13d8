variable "environment" {
  description = "staging or production."
  type        = string
}

variable "vpc_cidr" {
  description = "VPC range."
  type        = string
}

variable "azs" {
  description = "Two availability zones."
  type        = list(string)
}

variable "public_subnets" {
  description = "Public subnets, one per AZ."
  type        = list(string)
}

variable "private_subnets" {
  description = "Private subnets, one per AZ."
  type        = list(string)
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per AZ."
  type        = bool
}

variable "kubernetes_version" {
  description = "EKS version."
  type        = string
}

variable "eks_public_access_cidrs" {
  description = "Ranges that may reach the Kubernetes API from outside."
  type        = list(string)
  default     = []
}

variable "eks_admin_role_arns" {
  description = "Roles with cluster-admin."
  type        = list(string)
  default     = []
}

variable "node_instance_type" {
  description = "Node instance type."
  type        = string
}

variable "node_capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
}

variable "node_min_size" {
  description = "Fewest nodes."
  type        = number
}

variable "node_max_size" {
  description = "Most nodes."
  type        = number
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "db_allocated_storage_gb" {
  description = "RDS storage."
  type        = number
}

variable "db_multi_az" {
  description = "RDS standby in the second AZ."
  type        = bool
}

variable "deletion_protection" {
  description = "Protect databases and tables from deletion."
  type        = bool
}

variable "dynamodb_table_prefix" {
  description = "DYNAMODB_TABLE_PREFIX."
  type        = string
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
}

variable "redis_replicas" {
  description = "Redis replicas besides the primary."
  type        = number
}

variable "redis_auth_token" {
  description = "Redis AUTH token (TF_VAR_redis_auth_token)."
  type        = string
  sensitive   = true
}

variable "msk_instance_type" {
  description = "MSK broker type."
  type        = string
}

variable "msk_broker_count" {
  description = "MSK brokers."
  type        = number
}

variable "gcp_subnet_cidr" {
  description = "The GCP analytics range."
  type        = string
}

variable "gcp_asn" {
  description = "The GCP Cloud Router's ASN."
  type        = number
}

variable "gcp_vpn_interface_addresses" {
  description = "GCP HA VPN interface addresses (from the GCP stack's state)."
  type        = list(string)
}

variable "images" {
  description = "Images CI builds (keys of .github/images.json)."
  type        = list(string)
}

variable "product_images_tag" {
  description = "Tag of the product-images function image."
  type        = string
}

variable "product_images_service_key" {
  description = "SERVICE_PRIVATE_KEY of product-images (TF_VAR_product_images_service_key)."
  type        = string
  sensitive   = true
}

variable "zone_name" {
  description = "Route 53 public zone."
  type        = string
}

variable "domain_name" {
  description = "Public host of the environment."
  type        = string
}

variable "alb_ready" {
  description = "The chart's ALB exists: add its DNS records."
  type        = bool
  default     = false
}

variable "billing_thresholds_usd" {
  description = "Billing alarm thresholds."
  type        = list(number)
}

variable "alarm_emails" {
  description = "Alarm recipients."
  type        = list(string)
  default     = []
}
