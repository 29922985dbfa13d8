# GCP side of the document: a private network for Dataproc, the Flink cluster (1 master + 2 workers,
# n1-standard-2), the job's buckets with lifecycle rules and a service account that can do only what the
# job does. The job reaches MSK over the HA VPN (module vpn-gcp) on TLS port 9094.
data "google_project" "this" {}

resource "google_compute_network" "this" {
  name                    = var.name
  auto_create_subnetworks = false
  routing_mode            = "GLOBAL"
}

resource "google_compute_subnetwork" "this" {
  name                     = var.name
  network                  = google_compute_network.this.id
  region                   = var.region
  ip_cidr_range            = var.subnet_cidr
  private_ip_google_access = true # GCS and Google APIs without public addresses
  log_config {
    aggregation_interval = "INTERVAL_5_MIN"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

# Dataproc nodes talk to each other on every port; nothing else comes in.
resource "google_compute_firewall" "internal" {
  name          = "${var.name}-internal"
  network       = google_compute_network.this.id
  direction     = "INGRESS"
  source_ranges = [var.subnet_cidr]
  target_tags   = ["dataproc"]
  allow {
    protocol = "tcp"
  }
  allow {
    protocol = "udp"
  }
  allow {
    protocol = "icmp"
  }
}

resource "google_kms_key_ring" "this" {
  name     = var.name
  location = var.region
}

resource "google_kms_crypto_key" "this" {
  name            = "${var.name}-data"
  key_ring        = google_kms_key_ring.this.id
  rotation_period = "7776000s" # 90 days
  lifecycle {
    prevent_destroy = true
  }
}

# Cloud Storage and Dataproc's service agents encrypt with the key.
resource "google_kms_crypto_key_iam_member" "agents" {
  for_each = toset([
    "serviceAccount:service-${data.google_project.this.number}@gs-project-accounts.iam.gserviceaccount.com",
    "serviceAccount:service-${data.google_project.this.number}@dataproc-accounts.iam.gserviceaccount.com",
    "serviceAccount:service-${data.google_project.this.number}@compute-system.iam.gserviceaccount.com",
  ])
  crypto_key_id = google_kms_crypto_key.this.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = each.value
}

locals {
  # jobs: ANALYTICS_STORAGE_URL (checkpoints/ and results/, decision 0016); datalake: raw and curated
  # history; staging: Dataproc's own staging and temp files; logs: the other buckets' access logs.
  buckets = ["jobs", "datalake", "staging", "logs"]
}

resource "google_storage_bucket" "this" {
  for_each                    = toset(local.buckets)
  name                        = "${var.bucket_prefix}-${each.value}"
  location                    = var.bucket_location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = google_kms_crypto_key.this.id
  }

  dynamic "logging" {
    for_each = each.value == "logs" ? [] : [1]
    content {
      log_bucket        = "${var.bucket_prefix}-logs"
      log_object_prefix = each.value
    }
  }

  # Checkpoints: Flink keeps the newest three and deletes the rest itself; only old versions expire.
  # Results: hot for a month, then colder. Data lake: nearline, coldline, archive.
  dynamic "lifecycle_rule" {
    for_each = lookup(local.lifecycle, each.value, [])
    content {
      condition {
        age                        = lifecycle_rule.value.age
        matches_prefix             = lifecycle_rule.value.prefixes
        with_state                 = lifecycle_rule.value.state
        days_since_noncurrent_time = lifecycle_rule.value.noncurrent_days
      }
      action {
        type          = lifecycle_rule.value.action
        storage_class = lifecycle_rule.value.storage_class
      }
    }
  }

  depends_on = [google_kms_crypto_key_iam_member.agents]
}

locals {
  lifecycle = {
    jobs = [
      { age = null, prefixes = ["checkpoints/"], state = "ARCHIVED", noncurrent_days = 7, action = "Delete", storage_class = null },
      { age = 30, prefixes = ["results/"], state = "LIVE", noncurrent_days = null, action = "SetStorageClass", storage_class = "NEARLINE" },
      { age = 365, prefixes = ["results/"], state = "LIVE", noncurrent_days = null, action = "Delete", storage_class = null },
      { age = null, prefixes = ["results/"], state = "ARCHIVED", noncurrent_days = 30, action = "Delete", storage_class = null },
    ]
    datalake = [
      { age = 30, prefixes = [], state = "LIVE", noncurrent_days = null, action = "SetStorageClass", storage_class = "NEARLINE" },
      { age = 90, prefixes = [], state = "LIVE", noncurrent_days = null, action = "SetStorageClass", storage_class = "COLDLINE" },
      { age = 365, prefixes = [], state = "LIVE", noncurrent_days = null, action = "SetStorageClass", storage_class = "ARCHIVE" },
      { age = null, prefixes = [], state = "ARCHIVED", noncurrent_days = 30, action = "Delete", storage_class = null },
    ]
    staging = [
      { age = 14, prefixes = [], state = "ANY", noncurrent_days = null, action = "Delete", storage_class = null },
    ]
    logs = [
      { age = 365, prefixes = [], state = "ANY", noncurrent_days = null, action = "Delete", storage_class = null },
    ]
  }
}

resource "google_storage_bucket_iam_member" "logs_writer" {
  bucket = google_storage_bucket.this["logs"].name
  role   = "roles/storage.objectCreator"
  member = "group:cloud-storage-analytics@google.com"
}

# The job's identity: Dataproc's worker role, logs and metrics, and objects of its own buckets only.
resource "google_service_account" "job" {
  account_id   = var.name
  display_name = "Emporium analytics (Flink on Dataproc)"
}

resource "google_project_iam_member" "job" {
  for_each = toset(["roles/dataproc.worker", "roles/logging.logWriter", "roles/monitoring.metricWriter"])
  project  = data.google_project.this.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.job.email}"
}

resource "google_storage_bucket_iam_member" "job" {
  for_each = toset(["jobs", "datalake", "staging"])
  bucket   = google_storage_bucket.this[each.value].name
  role     = "roles/storage.objectAdmin"
  member   = "serviceAccount:${google_service_account.job.email}"
}

resource "google_dataproc_cluster" "this" {
  name   = var.name
  region = var.region

  cluster_config {
    staging_bucket = google_storage_bucket.this["staging"].name
    temp_bucket    = google_storage_bucket.this["staging"].name

    gce_cluster_config {
      subnetwork             = google_compute_subnetwork.this.id
      internal_ip_only       = true
      service_account        = google_service_account.job.email
      service_account_scopes = ["cloud-platform"]
      tags                   = ["dataproc"]
      shielded_instance_config {
        enable_secure_boot          = true
        enable_vtpm                 = true
        enable_integrity_monitoring = true
      }
    }

    master_config {
      num_instances = var.master_count
      machine_type  = var.machine_type
      disk_config {
        boot_disk_type    = "pd-balanced"
        boot_disk_size_gb = 50
      }
    }

    worker_config {
      num_instances = var.worker_count
      machine_type  = var.machine_type
      disk_config {
        boot_disk_type    = "pd-balanced"
        boot_disk_size_gb = 50
      }
    }

    software_config {
      image_version       = var.image_version
      optional_components = ["FLINK"]
    }

    encryption_config {
      kms_key_name = google_kms_crypto_key.this.id
    }

    dynamic "initialization_action" {
      for_each = var.initialization_scripts
      content {
        script      = initialization_action.value
        timeout_sec = 600
      }
    }

    endpoint_config {
      enable_http_port_access = false
    }
  }

  depends_on = [google_project_iam_member.job, google_storage_bucket_iam_member.job]
}
