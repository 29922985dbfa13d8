variable "project_id" {
  description = "GCP project of the analytics side."
  type        = string
}
