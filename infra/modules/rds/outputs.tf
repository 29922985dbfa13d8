output "endpoint" {
  description = "host:port of the primary."
  value       = aws_db_instance.this.endpoint
}

output "address" {
  description = "Host name of the primary."
  value       = aws_db_instance.this.address
}

output "master_secret_arn" {
  description = "Secrets Manager secret of the master user."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "security_group_id" {
  description = "The database's group."
  value       = aws_security_group.this.id
}

output "databases" {
  description = "Databases the chart creates, one per service."
  value       = var.databases
}
