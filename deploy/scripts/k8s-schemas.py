"""Writes kubeconform's stand-alone strict schemas for one Kubernetes version from kubernetes-validate's bundle.

kubernetes-validate ships each kind with $refs into one shared _definitions.json; kubeconform wants each file
whole, so every file gets the definitions it reaches copied in under $defs.
Usage: python k8s-schemas.py <minor version, e.g. 1.27> <out dir>
"""

import json
import re
import sys
from pathlib import Path

import kubernetes_validate

REF = re.compile(r"^(?:/api/_definitions\.json)?#/\$defs/(.+)$")


def main(version: str, out: Path) -> None:
    src = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{version}.0-local-strict"
    defs = json.loads((src / "_definitions.json").read_text())["$defs"]
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for file in sorted(src.glob("*.json")):
        if file.name in ("_definitions.json", "all.json"):
            continue
        reached: dict = {}
        schema = rewrite(json.loads(file.read_text()), defs, reached)
        schema["$defs"] = reached
        (out / file.name).write_text(json.dumps(schema))
        count += 1
    print(f"[schemas] {count} Kubernetes {version} schemas into {out}", file=sys.stderr)


def rewrite(node, defs: dict, reached: dict):
    if isinstance(node, list):
        return [rewrite(n, defs, reached) for n in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        match = REF.match(value) if key == "$ref" and isinstance(value, str) else None
        if match:
            name = match.group(1)
            result[key] = f"#/$defs/{name}"
            if name not in reached:
                reached[name] = {}
                reached[name] = rewrite(defs[name], defs, reached)
        else:
            result[key] = rewrite(value, defs, reached)
    return result


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
