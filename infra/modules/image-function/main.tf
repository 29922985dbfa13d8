# The S3-triggered function of decision 0018 (functions/product-images): a container image from ECR, in
# the VPC (it calls the products service's internal API), invoked asynchronously by the bucket's
# ObjectCreated events under uploads/; two retries, then the event goes to an SQS dead-letter queue.
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "vpc" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

# Exactly what object-store.ts calls: read and tag originals, write and probe the derived files.
data "aws_iam_policy_document" "this" {
  statement {
    sid       = "ReadAndTagOriginals"
    actions   = ["s3:GetObject", "s3:PutObjectTagging"]
    resources = ["${var.bucket_arn}/uploads/*"]
  }
  statement {
    sid       = "WriteDerived"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${var.bucket_arn}/products/*"]
  }
  statement {
    # HeadObject answers 404 for a missing key only with ListBucket; 403 would fail the invocation.
    sid       = "ProbeDerived"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["products/*"]
    }
  }
  statement {
    sid       = "EncryptedBucketAndQueue"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
  statement {
    sid       = "DeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dead_letters.arn]
  }
  statement {
    sid       = "Tracing" # X-Ray has no resource-level permissions
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
}

resource "aws_iam_role_policy" "this" {
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_sqs_queue" "dead_letters" {
  name                      = "${var.name}-dead-letters"
  message_retention_seconds = 1209600 # 14 days to look and replay
  kms_master_key_id         = var.kms_key_arn
}

resource "aws_security_group" "this" {
  name        = var.name
  description = "Product image function: out to the products service and AWS APIs"
  vpc_id      = var.vpc_id
  tags        = { Name = var.name }
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "S3 and other AWS APIs"
}

resource "aws_vpc_security_group_egress_rule" "products" {
  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = var.products_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.products_port
  to_port                      = var.products_port
  description                  = "The products service's internal NLB"
}

resource "aws_vpc_security_group_ingress_rule" "products_from_function" {
  security_group_id            = var.products_security_group_id
  referenced_security_group_id = aws_security_group.this.id
  ip_protocol                  = "tcp"
  from_port                    = var.products_port
  to_port                      = var.products_port
  description                  = "Product image function to the products service's internal NLB"
}

resource "aws_lambda_function" "this" {
  function_name                  = var.name
  role                           = aws_iam_role.this.arn
  package_type                   = "Image"
  image_uri                      = var.image_uri
  architectures                  = ["x86_64"]
  memory_size                    = 1024 # sharp decodes up to 40 megapixels
  timeout                        = 60
  reserved_concurrent_executions = var.reserved_concurrency
  kms_key_arn                    = var.kms_key_arn

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.this.id]
  }

  environment {
    variables = {
      PRODUCTS_URL        = var.products_url
      SERVICE_PRIVATE_KEY = var.service_private_key
      MAX_UPLOAD_BYTES    = tostring(var.max_upload_bytes)
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.dead_letters.arn
  }

  depends_on = [aws_iam_role_policy.this, aws_iam_role_policy_attachment.vpc]
}

resource "aws_lambda_function_event_invoke_config" "this" {
  function_name          = aws_lambda_function.this.function_name
  maximum_retry_attempts = 2
  destination_config {
    on_failure {
      destination = aws_sqs_queue.dead_letters.arn
    }
  }
}

resource "aws_lambda_permission" "s3" {
  statement_id   = "AllowAssetsBucket"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.this.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = var.bucket_arn
  source_account = var.account_id
}

resource "aws_s3_bucket_notification" "this" {
  bucket = var.bucket_id
  lambda_function {
    lambda_function_arn = aws_lambda_function.this.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = "uploads/"
  }
  depends_on = [aws_lambda_permission.s3]
}
