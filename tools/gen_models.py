#!/usr/bin/env python3
"""Turns botocore's AWS service models into C++ sources that embed them (DESIGN.md "model/").

For each service this reads <data>/<dir>/<newest version>/service-2.json (or .json.gz), drops what
only documentation needs (documentation, examples, deprecation messages, endpoint discovery,
context parameters), and writes <out>/model_<name>.cpp holding the trimmed JSON as raw string
chunks of under 60 KB each. <out>/model_registry.cpp lists every embedded model with the metadata
needed to find it without parsing it (endpoint prefix, signing name, JSON target prefix).

The output depends only on the input files: member order is kept as in the model (it decides the
order of validation messages), nothing is sorted or timestamped, and files are only rewritten when
their content changes so that a re-run does not trigger a rebuild.

Usage: gen_models.py --data DIR --out DIR [--list-inputs]
"""

import argparse
import gzip
import json
import os
import sys

# (botocore directory, name the C++ code finds it by). The name is the endpoint prefix.
SERVICES = [
    ("athena", "athena"),
    ("cloudformation", "cloudformation"),
    ("dynamodb", "dynamodb"),
    ("glue", "glue"),
    ("iam", "iam"),
    ("lambda", "lambda"),
    ("organizations", "organizations"),
    ("s3", "s3"),
    ("stepfunctions", "states"),
    ("sts", "sts"),
]

METADATA_KEYS = [
    "apiVersion", "endpointPrefix", "signingName", "protocol", "jsonVersion", "targetPrefix",
    "xmlNamespace", "serviceId", "signatureVersion", "globalEndpoint", "checksumFormat",
]
OPERATION_DROP = {
    "documentation", "documentationUrl", "endpointdiscovery", "endpointoperation",
    "staticContextParams", "alias", "deprecatedMessage",
}
SHAPE_DROP = {"documentation", "deprecatedMessage", "box"}
REF_DROP = {"documentation", "deprecatedMessage", "contextParam", "box"}

CHUNK_LIMIT = 60000
DELIMITER = "xacct"


def ModelPath(data_dir, service_dir):
    """The newest version's service-2.json(.gz) of one service."""
    base = os.path.join(data_dir, service_dir)
    versions = sorted(v for v in os.listdir(base) if os.path.isdir(os.path.join(base, v)))
    for version in reversed(versions):
        for name in ("service-2.json", "service-2.json.gz"):
            path = os.path.join(base, version, name)
            if os.path.exists(path):
                return path
    raise SystemExit(f"gen_models: no service-2.json under {base}")


def LoadModel(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def TrimRef(ref):
    return {k: v for k, v in ref.items() if k not in REF_DROP}


def TrimShape(shape):
    out = {}
    for key, value in shape.items():
        if key in SHAPE_DROP:
            continue
        if key == "members":
            value = {name: TrimRef(ref) for name, ref in value.items()}
        elif key in ("member", "key", "value"):
            value = TrimRef(value)
        out[key] = value
    return out


def TrimOperation(op):
    out = {}
    for key, value in op.items():
        if key in OPERATION_DROP:
            continue
        if key in ("input", "output"):
            value = {k: v for k, v in value.items() if k != "documentation"}
        elif key == "errors":
            value = [{k: v for k, v in e.items() if k != "documentation"} for e in value]
        out[key] = value
    return out


def Trim(model):
    metadata = {k: model["metadata"][k] for k in METADATA_KEYS if k in model["metadata"]}
    return {
        "metadata": metadata,
        "operations": {name: TrimOperation(op) for name, op in model["operations"].items()},
        "shapes": {name: TrimShape(shape) for name, shape in model["shapes"].items()},
    }


def Chunks(text):
    """Splits text into pieces of at most CHUNK_LIMIT bytes, never inside a UTF-8 sequence."""
    data = text.encode("utf-8")
    pieces = []
    start = 0
    while start < len(data):
        end = min(start + CHUNK_LIMIT, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        pieces.append(data[start:end].decode("utf-8"))
        start = end
    return pieces


def CppString(value):
    return json.dumps(value or "")


def WriteIfChanged(path, content):
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            if f.read() == content:
                return
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(content)
    os.replace(tmp, path)


def Identifier(name):
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_"))


def ServiceSource(name, source_path, trimmed):
    text = json.dumps(trimmed, separators=(",", ":"), ensure_ascii=False)
    if ")" + DELIMITER + '"' in text:
        raise SystemExit(f"gen_models: {name} contains the raw string delimiter")
    meta = trimmed["metadata"]
    pieces = Chunks(text)
    ident = Identifier(name)
    lines = [
        f"// Generated by tools/gen_models.py from botocore's {os.path.basename(os.path.dirname(os.path.dirname(source_path)))}"
        f"/{os.path.basename(os.path.dirname(source_path))}/{os.path.basename(source_path)}. Do not edit.",
        '#include "model/embedded_model.h"',
        "",
        "namespace xacct::model::generated {",
        "namespace {",
        f"constexpr std::string_view kChunks[] = {{",
    ]
    for piece in pieces:
        lines.append(f'    R"{DELIMITER}({piece}){DELIMITER}",')
    lines += [
        "};",
        "}  // namespace",
        "",
        f"extern const EmbeddedModel k{ident}Model;",
        f"const EmbeddedModel k{ident}Model = {{",
        f"    {CppString(name)},",
        f"    {CppString(meta.get('signingName') or meta.get('endpointPrefix'))},",
        f"    {CppString(meta.get('targetPrefix'))},",
        f"    {CppString(meta.get('protocol'))},",
        "    kChunks,",
        f"    {len(pieces)},",
        f"    {len(text.encode('utf-8'))},",
        "};",
        "",
        "}  // namespace xacct::model::generated",
        "",
    ]
    return "\n".join(lines)


def RegistrySource(names):
    idents = [Identifier(n) for n in names]
    lines = [
        "// Generated by tools/gen_models.py. Do not edit.",
        '#include "model/embedded_model.h"',
        "",
        "namespace xacct::model::generated {",
        "",
    ]
    lines += [f"extern const EmbeddedModel k{i}Model;" for i in idents]
    lines += ["", "std::span<const EmbeddedModel* const> EmbeddedModels() {",
              "  static constexpr const EmbeddedModel* kModels[] = {"]
    lines += [f"      &k{i}Model," for i in idents]
    lines += ["  };", "  return kModels;", "}", "", "}  // namespace xacct::model::generated", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="botocore's data directory")
    parser.add_argument("--out", help="directory for the generated sources")
    parser.add_argument("--list-inputs", action="store_true", help="print the model files read, one a line")
    parser.add_argument("--list-outputs", action="store_true", help="print the file names written, one a line")
    parser.add_argument("--stamp", help="a file touched after every run (the build's record that it ran)")
    args = parser.parse_args()

    if args.list_outputs:
        print("\n".join([f"model_{name}.cpp" for _, name in SERVICES] + ["model_registry.cpp"]))
        return 0
    inputs = [(name, ModelPath(args.data, service_dir)) for service_dir, name in SERVICES]
    if args.list_inputs:
        print("\n".join(path for _, path in inputs))
        return 0
    if not args.out:
        parser.error("--out is required")
    os.makedirs(args.out, exist_ok=True)
    for name, path in inputs:
        trimmed = Trim(LoadModel(path))
        if trimmed["metadata"].get("endpointPrefix") != name:
            raise SystemExit(f"gen_models: {path} has endpoint prefix {trimmed['metadata'].get('endpointPrefix')}")
        WriteIfChanged(os.path.join(args.out, f"model_{name}.cpp"), ServiceSource(name, path, trimmed))
    WriteIfChanged(os.path.join(args.out, "model_registry.cpp"), RegistrySource([n for _, n in SERVICES]))
    if args.stamp:
        with open(args.stamp, "w", encoding="utf-8") as f:
            f.write("\n".join(path for _, path in inputs) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
