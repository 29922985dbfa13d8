#!/usr/bin/env bash
# CI (release workflow): set image.tag to $TAG in deploy/helm/emporium/values-<env>.yaml and push the
# commit to main with the job's token; ArgoCD syncs the chart from git. A push by GITHUB_TOKEN starts no
# workflow, so this cannot loop.
set -euo pipefail
env=${1:?staging or production}
: "${TAG:?}" "${GH_TOKEN:?}" "${GITHUB_REPOSITORY:?}"
case "$env" in staging | production) ;; *) echo "unknown environment $env" >&2; exit 2 ;; esac
file="deploy/helm/emporium/values-$env.yaml"
git config user.name "emporium-release"
git config user.email "release@users.noreply.github.com"
for attempt in 1 2 3; do
  git fetch --quiet "https://x-access-token:${GH_TOKEN}@github.com/${GITHUB_REPOSITORY}.git" main
  git checkout --quiet -B release FETCH_HEAD
  node infra/scripts/bump-image-tags.ts "$TAG" "$file"
  git diff --quiet && { echo "$file already at $TAG"; exit 0; }
  git commit --quiet -am "Deploy ${TAG:0:12} to $env"
  if git push --quiet "https://x-access-token:${GH_TOKEN}@github.com/${GITHUB_REPOSITORY}.git" release:main; then
    exit 0
  fi
  echo "main moved; retrying ($attempt)"
done
exit 1
