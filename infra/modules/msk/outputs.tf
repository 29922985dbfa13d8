output "bootstrap_brokers" {
  description = "KAFKA_BROKERS for the services (9092, inside the VPC)."
  value       = aws_msk_cluster.this.bootstrap_brokers
}

output "bootstrap_brokers_tls" {
  description = "TLS brokers (9094): the Flink job on Dataproc."
  value       = aws_msk_cluster.this.bootstrap_brokers_tls
}

output "topics" {
  description = "Topics, partitions and replication factor (KAFKA_REPLICATION_FACTOR for the chart)."
  value       = local.topics
}

output "replication_factor" {
  description = "KAFKA_REPLICATION_FACTOR."
  value       = local.replication_factor
}
