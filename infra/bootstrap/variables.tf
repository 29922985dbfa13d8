variable "github_repository" {
  description = "owner/name of the repository whose workflows may assume the roles."
  type        = string
}
