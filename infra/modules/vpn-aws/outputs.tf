output "vpn_tunnels" {
  description = "The four tunnels as the GCP half needs them (interface 0 takes connection 0's, 1 takes 1's)."
  sensitive   = true
  value = flatten([
    for i, c in aws_vpn_connection.gcp : [
      {
        gcp_interface      = i
        outside_address    = c.tunnel1_address
        preshared_key      = c.tunnel1_preshared_key
        cgw_inside_address = c.tunnel1_cgw_inside_address
        vgw_inside_address = c.tunnel1_vgw_inside_address
        bgp_asn            = tonumber(c.tunnel1_bgp_asn)
      },
      {
        gcp_interface      = i
        outside_address    = c.tunnel2_address
        preshared_key      = c.tunnel2_preshared_key
        cgw_inside_address = c.tunnel2_cgw_inside_address
        vgw_inside_address = c.tunnel2_vgw_inside_address
        bgp_asn            = tonumber(c.tunnel2_bgp_asn)
      },
    ]
  ])
}
