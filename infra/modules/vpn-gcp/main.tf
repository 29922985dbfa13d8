# The document's cross-cloud Kafka connection, GCP half: an HA VPN gateway (two interfaces) and a Cloud
# Router; once the AWS half exists (var.aws_tunnels), four tunnels with BGP sessions, two per interface.
locals {
  # Addresses and BGP settings are not secret; only the keys are. Counts cannot come from sensitive values.
  tunnels = nonsensitive([for t in var.aws_tunnels : {
    gcp_interface      = t.gcp_interface
    outside_address    = t.outside_address
    cgw_inside_address = t.cgw_inside_address
    vgw_inside_address = t.vgw_inside_address
    bgp_asn            = t.bgp_asn
  }])
}

resource "google_compute_ha_vpn_gateway" "this" {
  name    = var.name
  region  = var.region
  network = var.network_id
}

resource "google_compute_router" "this" {
  name    = var.name
  region  = var.region
  network = var.network_id
  bgp {
    asn               = var.gcp_asn
    advertise_mode    = "CUSTOM"
    advertised_groups = []
    advertised_ip_ranges {
      range = var.subnet_cidr
    }
  }
}

resource "google_compute_external_vpn_gateway" "aws" {
  count           = length(local.tunnels) > 0 ? 1 : 0
  name            = "${var.name}-aws"
  redundancy_type = "FOUR_IPS_REDUNDANCY"
  dynamic "interface" {
    for_each = local.tunnels
    content {
      id         = interface.key
      ip_address = interface.value.outside_address
    }
  }
}

resource "google_compute_vpn_tunnel" "this" {
  count                           = length(local.tunnels)
  name                            = "${var.name}-${count.index}"
  region                          = var.region
  vpn_gateway                     = google_compute_ha_vpn_gateway.this.id
  vpn_gateway_interface           = local.tunnels[count.index].gcp_interface
  peer_external_gateway           = google_compute_external_vpn_gateway.aws[0].id
  peer_external_gateway_interface = count.index
  shared_secret                   = var.aws_tunnels[count.index].preshared_key
  router                          = google_compute_router.this.name
  ike_version                     = 2
}

resource "google_compute_router_interface" "this" {
  count      = length(local.tunnels)
  name       = "${var.name}-${count.index}"
  region     = var.region
  router     = google_compute_router.this.name
  ip_range   = "${local.tunnels[count.index].cgw_inside_address}/30"
  vpn_tunnel = google_compute_vpn_tunnel.this[count.index].name
}

resource "google_compute_router_peer" "this" {
  count                     = length(local.tunnels)
  name                      = "${var.name}-${count.index}"
  region                    = var.region
  router                    = google_compute_router.this.name
  interface                 = google_compute_router_interface.this[count.index].name
  peer_ip_address           = local.tunnels[count.index].vgw_inside_address
  peer_asn                  = local.tunnels[count.index].bgp_asn
  advertised_route_priority = 100
}

# Kafka's answers and the brokers' TLS port from the AWS VPC are return traffic; nothing from AWS may open
# a connection into the Dataproc subnet except what this rule names (none by default).
resource "google_compute_firewall" "from_aws" {
  count         = length(var.aws_ingress_ports) > 0 ? 1 : 0
  name          = "${var.name}-from-aws"
  network       = var.network_id
  direction     = "INGRESS"
  source_ranges = [var.aws_vpc_cidr]
  allow {
    protocol = "tcp"
    ports    = var.aws_ingress_ports
  }
}
