output "cluster_name" {
  description = "EKS cluster name."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_ca" {
  description = "Cluster CA certificate (base64)."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "node_security_group_id" {
  description = "Security group of the nodes: the source RDS, Redis and MSK admit."
  value       = aws_security_group.nodes.id
}

output "alb_security_group_id" {
  description = "Security group for the ALB (ingress annotation alb.ingress.kubernetes.io/security-groups)."
  value       = aws_security_group.alb.id
}

output "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster, for IRSA."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer" {
  description = "Issuer URL without https://, the prefix of IRSA conditions."
  value       = replace(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://", "")
}
