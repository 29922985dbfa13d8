output "log_groups" {
  description = "Log group per service."
  value       = { for k, g in aws_cloudwatch_log_group.services : k => g.name }
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = aws_sns_topic.alarms.arn
}
