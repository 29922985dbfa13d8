output "primary_endpoint" {
  description = "Host of the primary; REDIS_URL is rediss://:<token>@<host>:6379."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}
