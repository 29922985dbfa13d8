output "network_id" {
  description = "The analytics network (the HA VPN attaches here)."
  value       = google_compute_network.this.id
}

output "subnet_cidr" {
  description = "The GCP range MSK admits."
  value       = var.subnet_cidr
}

output "cluster_name" {
  description = "Dataproc cluster."
  value       = google_dataproc_cluster.this.name
}

output "storage_url" {
  description = "ANALYTICS_STORAGE_URL of the Flink job."
  value       = "gs://${google_storage_bucket.this["jobs"].name}"
}

output "datalake_bucket" {
  description = "The data lake bucket."
  value       = google_storage_bucket.this["datalake"].name
}

output "service_account_email" {
  description = "The job's service account."
  value       = google_service_account.job.email
}
