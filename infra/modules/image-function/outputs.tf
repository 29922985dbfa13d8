output "function_arn" {
  description = "The function."
  value       = aws_lambda_function.this.arn
}

output "dead_letter_queue_url" {
  description = "Failed events after two retries (replay: invoke the function with the record's requestPayload)."
  value       = aws_sqs_queue.dead_letters.url
}
