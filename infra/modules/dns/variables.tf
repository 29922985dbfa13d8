variable "zone_name" {
  description = "Existing public hosted zone, e.g. emporium.example.com."
  type        = string
}

variable "domain_name" {
  description = "Host of the storefront and API in this environment."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster whose controller made the ALB."
  type        = string
}

variable "ingress_group" {
  description = "alb.ingress.kubernetes.io/group.name of the chart's Ingress."
  type        = string
  default     = "emporium"
}

variable "alb_ready" {
  description = "Set once the chart's Ingress has its ALB."
  type        = bool
  default     = false
}
