# Route 53: the public zone's records for the ALB that the AWS Load Balancer Controller makes from the
# chart's Ingress (found by its ingress group tag once it exists), and the ACM certificate its HTTPS
# listener uses (validated through the zone).
data "aws_route53_zone" "this" {
  name         = var.zone_name
  private_zone = false
}

resource "aws_acm_certificate" "this" {
  domain_name       = var.domain_name
  validation_method = "DNS"
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "validation" {
  for_each = { for o in aws_acm_certificate.this.domain_validation_options : o.domain_name => o }

  zone_id = data.aws_route53_zone.this.zone_id
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  records = [each.value.resource_record_value]
  ttl     = 300
}

resource "aws_acm_certificate_validation" "this" {
  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}

# The ALB exists only after ArgoCD has synced the chart: a second apply with alb_ready = true adds the records.
data "aws_lb" "ingress" {
  count = var.alb_ready ? 1 : 0
  tags = {
    "elbv2.k8s.aws/cluster" = var.cluster_name
    "ingress.k8s.aws/stack" = var.ingress_group
  }
}

resource "aws_route53_record" "alb" {
  for_each = var.alb_ready ? toset(["A", "AAAA"]) : toset([])

  zone_id = data.aws_route53_zone.this.zone_id
  name    = var.domain_name
  type    = each.value
  alias {
    name                   = data.aws_lb.ingress[0].dns_name
    zone_id                = data.aws_lb.ingress[0].zone_id
    evaluate_target_health = true
  }
}
