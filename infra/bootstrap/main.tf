# Run once per account, with local state: the S3 bucket every composition keeps its state in (locking
# through S3 conditional writes, `use_lockfile`), and the OIDC roles GitHub Actions assumes.
data "aws_caller_identity" "this" {}

resource "aws_kms_key" "state" {
  description         = "Terraform state"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "state" {
  bucket = "emporium-terraform-state"
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.state.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    id     = "old-state-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 90
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

# GitHub's OIDC issuer: workflows get short-lived credentials, no access keys are stored anywhere.
resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

locals {
  # Role => the workflow token subjects that may assume it.
  roles = {
    # Image pushes from main only (.github/workflows/main.yml).
    "emporium-ci-images" = ["repo:${var.github_repository}:ref:refs/heads/main"]
    # Plans on pull requests: read-only.
    "emporium-ci-terraform-plan" = ["repo:${var.github_repository}:pull_request"]
    # Applies from the protected environments only.
    "emporium-ci-terraform-apply" = [
      "repo:${var.github_repository}:environment:staging",
      "repo:${var.github_repository}:environment:production",
    ]
  }
}

data "aws_iam_policy_document" "github_assume" {
  for_each = local.roles
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = each.value
    }
  }
}

resource "aws_iam_role" "github" {
  for_each             = local.roles
  name                 = each.key
  assume_role_policy   = data.aws_iam_policy_document.github_assume[each.key].json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "images" {
  statement {
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
      "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage", "ecr:DescribeImages",
    ]
    resources = ["arn:aws:ecr:us-east-1:${data.aws_caller_identity.this.account_id}:repository/emporium/*"]
  }
}

resource "aws_iam_role_policy" "images" {
  role   = aws_iam_role.github["emporium-ci-images"].id
  policy = data.aws_iam_policy_document.images.json
}

resource "aws_iam_role_policy_attachment" "plan" {
  role       = aws_iam_role.github["emporium-ci-terraform-plan"].name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

# Plans read and lock state too (the lock file is a write).
data "aws_iam_policy_document" "state" {
  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn]
  }
  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.state.arn}/*"]
  }
  statement {
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.state.arn]
  }
}

resource "aws_iam_role_policy" "state" {
  for_each = toset(["emporium-ci-terraform-plan", "emporium-ci-terraform-apply"])
  role     = aws_iam_role.github[each.value].id
  policy   = data.aws_iam_policy_document.state.json
}

# Applies create everything in the compositions; scope it further with a permissions boundary per account.
resource "aws_iam_role_policy_attachment" "apply" {
  role       = aws_iam_role.github["emporium-ci-terraform-apply"].name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
