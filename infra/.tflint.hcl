# HCL hygiene only: the AWS and Google rulesets are plugins downloaded from GitHub releases, which this
# workplace cannot reach; the bundled terraform ruleset needs no download.
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}

# Modules take their provider versions from the composition that calls them (lower bounds only there).
rule "terraform_unused_required_providers" {
  enabled = true
}
