# The cross-cloud connection, AWS half: a virtual private gateway on the VPC, one customer gateway per
# GCP HA VPN interface and one VPN connection (two tunnels) each; BGP learns the GCP range and route
# propagation puts it in the private route tables (where MSK and the nodes live).
resource "aws_vpn_gateway" "this" {
  vpc_id          = var.vpc_id
  amazon_side_asn = var.aws_asn
  tags            = { Name = var.name }
}

resource "aws_vpn_gateway_route_propagation" "private" {
  count          = length(var.route_table_ids)
  vpn_gateway_id = aws_vpn_gateway.this.id
  route_table_id = var.route_table_ids[count.index]
}

resource "aws_customer_gateway" "gcp" {
  count      = length(var.gcp_interface_addresses)
  bgp_asn    = var.gcp_asn
  ip_address = var.gcp_interface_addresses[count.index]
  type       = "ipsec.1"
  tags       = { Name = "${var.name}-gcp-${count.index}" }
}

resource "aws_vpn_connection" "gcp" {
  count               = length(var.gcp_interface_addresses)
  vpn_gateway_id      = aws_vpn_gateway.this.id
  customer_gateway_id = aws_customer_gateway.gcp[count.index].id
  type                = "ipsec.1"
  static_routes_only  = false

  tunnel1_ike_versions                 = ["ikev2"]
  tunnel2_ike_versions                 = ["ikev2"]
  tunnel1_phase1_encryption_algorithms = ["AES256"]
  tunnel2_phase1_encryption_algorithms = ["AES256"]
  tunnel1_phase2_encryption_algorithms = ["AES256"]
  tunnel2_phase2_encryption_algorithms = ["AES256"]
  tunnel1_phase1_integrity_algorithms  = ["SHA2-256"]
  tunnel2_phase1_integrity_algorithms  = ["SHA2-256"]
  tunnel1_phase2_integrity_algorithms  = ["SHA2-256"]
  tunnel2_phase2_integrity_algorithms  = ["SHA2-256"]

  tunnel1_log_options {
    cloudwatch_log_options {
      log_enabled       = true
      log_group_arn     = aws_cloudwatch_log_group.this.arn
      log_output_format = "json"
    }
  }
  tunnel2_log_options {
    cloudwatch_log_options {
      log_enabled       = true
      log_group_arn     = aws_cloudwatch_log_group.this.arn
      log_output_format = "json"
    }
  }

  tags = { Name = "${var.name}-gcp-${count.index}" }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/emporium/${var.name}/vpn"
  retention_in_days = 365
  kms_key_id        = var.kms_key_arn
}
