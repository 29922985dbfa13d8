variable "environment" {
  description = "staging or production."
  type        = string
}

variable "project_id" {
  description = "GCP project."
  type        = string
}

variable "region" {
  description = "GCP region."
  type        = string
}

variable "subnet_cidr" {
  description = "The Dataproc subnet (the GCP range MSK admits)."
  type        = string
}

variable "aws_vpc_cidr" {
  description = "The AWS VPC range."
  type        = string
}

variable "gcp_asn" {
  description = "Cloud Router ASN."
  type        = number
}

variable "machine_type" {
  description = "Dataproc machine type."
  type        = string
}

variable "master_count" {
  description = "Dataproc masters."
  type        = number
}

variable "worker_count" {
  description = "Dataproc workers."
  type        = number
}

variable "aws_vpn_tunnels" {
  description = "The AWS stack's vpn_tunnels output."
  type = list(object({
    gcp_interface      = number
    outside_address    = string
    preshared_key      = string
    cgw_inside_address = string
    vgw_inside_address = string
    bgp_asn            = number
  }))
  sensitive = true
}
