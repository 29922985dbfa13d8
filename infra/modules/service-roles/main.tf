# IRSA: one role per Kubernetes service account that calls AWS, each trusting only that account of
# that namespace, each allowed only what its code calls. Services that call no AWS API get no role.
data "aws_partition" "this" {}

locals {
  product_table_arns = [for arn in var.product_table_arns : arn]
  # Chart service => policy document; its account is the chart's emporium-<service> in the release's namespace.
  # The products service (decision 0005 and 0018): its five tables and their indexes, readiness's ListTables,
  # and presigning PUTs under uploads/ of the images bucket.
  service_policies = {
    products = data.aws_iam_policy_document.products.json
  }
  # Role name suffix => service account ("namespace:name") and policy.
  accounts = merge(
    { for svc, policy in local.service_policies : svc => { subject = "${var.namespace}:emporium-${svc}", policy = policy } },
    {
      aws-load-balancer-controller = {
        subject = "kube-system:aws-load-balancer-controller"
        policy  = data.aws_iam_policy_document.alb_controller.json
      }
    },
  )
}

data "aws_iam_policy_document" "products" {
  statement {
    sid = "CatalogTables"
    actions = [
      "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
      "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:ConditionCheckItem",
    ]
    resources = concat(local.product_table_arns, [for arn in local.product_table_arns : "${arn}/index/*"])
  }
  statement {
    sid       = "ReadinessCheck"
    actions   = ["dynamodb:ListTables"]
    resources = ["*"]
  }
  statement {
    sid       = "PresignedUploads"
    actions   = ["s3:PutObject"]
    resources = ["${var.images_bucket_arn}/uploads/*"]
  }
  statement {
    sid       = "UploadsEncrypted"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

# The AWS Load Balancer Controller: manages the ALB of the chart's ALB Ingress and its target groups, and
# registers pods in the target groups Terraform made (the chart's TargetGroupBindings).
# Scoped to resources it tags with the cluster name where the API allows it.
data "aws_iam_policy_document" "alb_controller" {
  statement {
    sid = "Describe"
    actions = [
      "ec2:Describe*", "elasticloadbalancing:Describe*", "acm:ListCertificates", "acm:DescribeCertificate",
      "iam:ListServerCertificates", "iam:GetServerCertificate", "wafv2:GetWebACLForResource", "shield:GetSubscriptionState",
      "cognito-idp:DescribeUserPoolClient", "ec2:GetSecurityGroupsForVpc",
    ]
    resources = ["*"]
  }
  statement {
    sid       = "ServiceLinkedRole"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["elasticloadbalancing.amazonaws.com"]
    }
  }
  statement {
    sid = "CreateTagged"
    actions = [
      "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup",
      "ec2:CreateSecurityGroup", "elasticloadbalancing:AddTags", "ec2:CreateTags",
    ]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/elbv2.k8s.aws/cluster"
      values   = [var.cluster_name]
    }
  }
  statement {
    sid = "ManageTagged"
    actions = [
      "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
      "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
      "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
      "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener",
      "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule", "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:ModifyRule", "elasticloadbalancing:AddListenerCertificates",
      "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:RemoveTags",
      "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup", "ec2:DeleteTags",
    ]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/elbv2.k8s.aws/cluster"
      values   = [var.cluster_name]
    }
  }
  statement {
    sid       = "BoundTargetGroups"
    actions   = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]
    resources = var.bound_target_group_arns
  }
  statement {
    sid       = "PreCreatedGroups"
    actions   = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]
    resources = [for id in var.managed_security_group_ids : "arn:${data.aws_partition.this.partition}:ec2:*:*:security-group/${id}"]
  }
}

data "aws_iam_policy_document" "assume" {
  for_each = local.accounts
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${each.value.subject}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each           = local.accounts
  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.assume[each.key].json
}

resource "aws_iam_role_policy" "this" {
  for_each = local.accounts
  role     = aws_iam_role.this[each.key].id
  policy   = each.value.policy
}
