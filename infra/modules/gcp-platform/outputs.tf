output "vpn_interface_addresses" {
  description = "For the AWS stack's customer gateways."
  value       = module.vpn.interface_addresses
}

output "analytics_storage_url" {
  description = "ANALYTICS_STORAGE_URL of the Flink job."
  value       = module.analytics.storage_url
}

output "dataproc_cluster" {
  description = "Where `gcloud dataproc jobs submit flink` sends the job."
  value       = module.analytics.cluster_name
}

output "service_account_email" {
  description = "The job's identity."
  value       = module.analytics.service_account_email
}
