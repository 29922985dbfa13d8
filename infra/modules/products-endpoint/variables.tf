variable "name" {
  description = "Name of the load balancer, its target group and security group (32 characters at most)."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the NLB takes an address in."
  type        = list(string)
}

variable "node_security_group_id" {
  description = "The EKS nodes' group (the products pods' addresses)."
  type        = string
}

variable "port" {
  description = "The products service's port (its pods' and the listener's)."
  type        = number
  default     = 5002
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion."
  type        = bool
}
