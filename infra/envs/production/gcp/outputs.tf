output "vpn_interface_addresses" {
  description = "Read by the AWS stack."
  value       = module.platform.vpn_interface_addresses
}

output "analytics_storage_url" {
  description = "ANALYTICS_STORAGE_URL of the Flink job."
  value       = module.platform.analytics_storage_url
}

output "dataproc_cluster" {
  description = "The Dataproc cluster."
  value       = module.platform.dataproc_cluster
}

output "kafka_brokers" {
  description = "KAFKA_BROKERS of the Flink job (MSK over TLS, from the AWS stack)."
  value       = data.terraform_remote_state.aws.outputs.msk_bootstrap_brokers_tls
}
