# The products service's internal API as the VPC sees it (decision 0022): an internal NLB whose target group
# the chart fills with the products pods (the AWS Load Balancer Controller's TargetGroupBinding, target type
# ip). Its DNS name is the image function's PRODUCTS_URL; the ARN reaches the chart through helm_values.
resource "aws_security_group" "this" {
  name        = var.name
  description = "Internal NLB of the products service: from its clients to the products pods"
  vpc_id      = var.vpc_id
  tags        = { Name = var.name }
}

resource "aws_vpc_security_group_egress_rule" "to_pods" {
  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = var.node_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  description                  = "To the products pods (and their health checks)"
}

resource "aws_vpc_security_group_ingress_rule" "pods_from_nlb" {
  security_group_id            = var.node_security_group_id
  referenced_security_group_id = aws_security_group.this.id
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  description                  = "Internal NLB to the products pods"
}

resource "aws_lb" "this" {
  name                             = var.name
  internal                         = true
  load_balancer_type               = "network"
  subnets                          = var.subnet_ids
  security_groups                  = [aws_security_group.this.id]
  enable_cross_zone_load_balancing = true
  enable_deletion_protection       = var.deletion_protection
  # Access logs exist for TLS listeners only; this one is TCP inside the VPC, its callers sign each request.
}

resource "aws_lb_target_group" "this" {
  name        = var.name
  port        = var.port
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
  # The pods see the NLB's own addresses (in the private subnets), which their NetworkPolicy admits.
  preserve_client_ip   = false
  deregistration_delay = 30
  health_check {
    protocol = "HTTP"
    path     = "/ready"
    port     = "traffic-port"
  }
}

resource "aws_lb_listener" "this" {
  load_balancer_arn = aws_lb.this.arn
  port              = var.port
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }
}
