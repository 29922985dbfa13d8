variable "name" {
  description = "Name prefix, e.g. emporium-production."
  type        = string
}
