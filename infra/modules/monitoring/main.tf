# CloudWatch: one log group per service (Fluent Bit ships pod logs there), an SNS topic for alarms, and
# the billing alarms against the document's ~$478/month (billing metrics exist only in us-east-1).
resource "aws_cloudwatch_log_group" "services" {
  for_each          = toset(var.services)
  name              = "/emporium/${var.environment}/${each.value}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_sns_topic" "alarms" {
  name              = "emporium-${var.environment}-alarms"
  kms_master_key_id = var.kms_key_arn
}

resource "aws_sns_topic_subscription" "email" {
  for_each  = toset(var.alarm_emails)
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "billing" {
  for_each = { for t in var.billing_thresholds_usd : tostring(t) => t }

  alarm_name          = "emporium-${var.environment}-estimated-charges-${each.key}-usd"
  alarm_description   = "Estimated month-to-date charges above ${each.key} USD (design estimate ~478 USD/month)"
  namespace           = "AWS/Billing"
  metric_name         = "EstimatedCharges"
  dimensions          = { Currency = "USD" }
  statistic           = "Maximum"
  period              = 21600
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
