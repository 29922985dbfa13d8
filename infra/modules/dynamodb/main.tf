# The catalog's tables exactly as services/products/src/store/dynamo.ts creates them locally (the service
# only describes tables that exist, so on AWS it needs no CreateTable right). On demand, PITR, encrypted.
locals {
  tables = {
    products = {
      hash_key   = "id"
      range_key  = null
      attributes = { id = "N", category = "S", sku = "S" }
      indexes    = { "category-index" = "category", "sku-index" = "sku" }
    }
    product-sequences = {
      hash_key   = "name"
      range_key  = null
      attributes = { name = "S" }
      indexes    = {}
    }
    product-skus = {
      hash_key   = "sku"
      range_key  = null
      attributes = { sku = "S" }
      indexes    = {}
    }
    product-reservations = {
      hash_key   = "order_id"
      range_key  = null
      attributes = { order_id = "N" }
      indexes    = {}
    }
    product-image-uploads = {
      hash_key   = "product_id"
      range_key  = "upload_id"
      attributes = { product_id = "N", upload_id = "S" }
      indexes    = {}
    }
  }
}

resource "aws_dynamodb_table" "this" {
  for_each = local.tables

  name                        = "${var.table_prefix}${each.key}"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = each.value.hash_key
  range_key                   = each.value.range_key
  deletion_protection_enabled = var.deletion_protection

  dynamic "attribute" {
    for_each = each.value.attributes
    content {
      name = attribute.key
      type = attribute.value
    }
  }

  dynamic "global_secondary_index" {
    for_each = each.value.indexes
    content {
      name            = global_secondary_index.key
      hash_key        = global_secondary_index.value
      projection_type = "ALL"
    }
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}
