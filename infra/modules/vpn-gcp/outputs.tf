output "interface_addresses" {
  description = "Public addresses of the HA VPN gateway's two interfaces (the AWS customer gateways)."
  value       = [for i in google_compute_ha_vpn_gateway.this.vpn_interfaces : i.ip_address]
}

output "asn" {
  description = "BGP ASN of the Cloud Router."
  value       = var.gcp_asn
}
