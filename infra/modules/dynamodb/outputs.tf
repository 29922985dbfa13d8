output "table_arns" {
  description = "ARNs of the catalog's tables."
  value       = [for t in aws_dynamodb_table.this : t.arn]
}

output "table_prefix" {
  description = "DYNAMODB_TABLE_PREFIX for the products service."
  value       = var.table_prefix
}
