variable "name" {
  description = "Name of the VPN resources."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "route_table_ids" {
  description = "Private route tables that learn the GCP range."
  type        = list(string)
}

variable "aws_asn" {
  description = "Amazon-side BGP ASN."
  type        = number
  default     = 64512
}

variable "gcp_asn" {
  description = "The Cloud Router's ASN."
  type        = number
}

variable "gcp_interface_addresses" {
  description = "The GCP HA VPN gateway's two public addresses (empty until the GCP stack exists)."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "Key for the tunnel logs."
  type        = string
}
