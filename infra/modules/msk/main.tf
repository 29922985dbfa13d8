# MSK as the document sizes it: kafka.t3.small, 2 brokers (one per AZ). The topics are the platform's
# (packages/events TOPICS and their .dlq topics, created by ensureTopics at start with
# KAFKA_REPLICATION_FACTOR): local.topics states them for the chart and the tests.
locals {
  replication_factor = var.broker_count
  topics = {
    "orders"                = { partitions = 3, replication_factor = local.replication_factor }
    "analytics-results"     = { partitions = 3, replication_factor = local.replication_factor }
    "notifications"         = { partitions = 1, replication_factor = local.replication_factor }
    "orders.dlq"            = { partitions = 1, replication_factor = local.replication_factor }
    "analytics-results.dlq" = { partitions = 1, replication_factor = local.replication_factor }
    "notifications.dlq"     = { partitions = 1, replication_factor = local.replication_factor }
  }
}

resource "aws_security_group" "this" {
  name        = "${var.name}-msk"
  description = "MSK: 9092 from the EKS nodes, TLS 9094 from the nodes and the GCP range"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-msk" }
}

resource "aws_vpc_security_group_ingress_rule" "plaintext_from_nodes" {
  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = var.node_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 9092
  to_port                      = 9092
  description                  = "Kafka from the EKS nodes (inside the VPC)"
}

resource "aws_vpc_security_group_ingress_rule" "tls_from_nodes" {
  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = var.node_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 9094
  to_port                      = 9094
  description                  = "Kafka over TLS from the EKS nodes"
}

# Cross-cloud: the Dataproc subnet over the VPN, TLS only (the traffic leaves AWS).
resource "aws_vpc_security_group_ingress_rule" "tls_from_gcp" {
  for_each          = toset(var.gcp_cidrs)
  security_group_id = aws_security_group.this.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 9094
  to_port           = 9094
  description       = "Kafka over TLS from the GCP analytics range"
}

resource "aws_msk_configuration" "this" {
  name           = var.name
  kafka_versions = [var.kafka_version]
  # Two brokers: internal topics cannot have three replicas; one may be down (min ISR 1).
  server_properties = <<-PROPERTIES
    auto.create.topics.enable=false
    default.replication.factor=${local.replication_factor}
    min.insync.replicas=1
    num.partitions=3
    offsets.topic.replication.factor=${local.replication_factor}
    transaction.state.log.replication.factor=${local.replication_factor}
    transaction.state.log.min.isr=1
    log.retention.hours=168
    unclean.leader.election.enable=false
  PROPERTIES
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/emporium/${var.name}/msk"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.broker_count

  broker_node_group_info {
    instance_type   = var.instance_type
    client_subnets  = var.subnet_ids
    security_groups = [aws_security_group.this.id]
    storage_info {
      ebs_storage_info {
        volume_size = var.volume_size_gb
      }
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = var.kms_key_arn
    encryption_in_transit {
      # TLS between brokers always; clients: TLS (9094), and plaintext (9092) inside the VPC until the
      # services' Kafka clients speak TLS (var.client_broker = "TLS" then).
      client_broker = var.client_broker
      in_cluster    = true
    }
  }

  client_authentication {
    unauthenticated = true
  }

  enhanced_monitoring = "PER_BROKER"

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.this.name
      }
    }
  }
}
