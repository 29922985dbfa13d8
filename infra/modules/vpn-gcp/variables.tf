variable "name" {
  description = "Name of the VPN resources."
  type        = string
}

variable "region" {
  description = "GCP region."
  type        = string
}

variable "network_id" {
  description = "The analytics network."
  type        = string
}

variable "subnet_cidr" {
  description = "The range advertised to AWS."
  type        = string
}

variable "aws_vpc_cidr" {
  description = "The AWS VPC range (the document's 10.0.0.0/16)."
  type        = string
}

variable "gcp_asn" {
  description = "BGP ASN of the Cloud Router (the AWS customer gateways use it too)."
  type        = number
  default     = 65010
}

variable "aws_tunnels" {
  description = "The AWS half's tunnels (its output vpn_tunnels); empty on the first apply."
  type = list(object({
    gcp_interface      = number
    outside_address    = string
    preshared_key      = string
    cgw_inside_address = string
    vgw_inside_address = string
    bgp_asn            = number
  }))
  default   = []
  sensitive = true
}

variable "aws_ingress_ports" {
  description = "TCP ports AWS may open connections to (none: the job only calls out)."
  type        = list(string)
  default     = []
}
