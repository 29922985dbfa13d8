variable "prefix" {
  description = "Repository namespace, e.g. emporium."
  type        = string
}

variable "repositories" {
  description = "Image names (the keys of .github/images.json)."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "Key the images are encrypted with."
  type        = string
}
