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

botocore's models are Debian's (2022), so what AWS added since is missing from them. With --sdk-apis
(the aws-sdk npm package's apis/ directory) the generator overlays what the botocore model lacks
from <sdk-apis>/<name>-<version>.min.json of the same API version: operations missing entirely
(with their input and output shapes), members missing from existing structures (with their
shapes), and the shapes those need. The min.json files carry no documentation, errors, enums or
validation traits, and their shapes are anonymous (S1, S2...) or inline, so they are matched to
botocore's by walking both models from the operations down; new shapes are named after the member
that introduces them. Nothing botocore has is changed or removed: its errors, enums, validation
traits, member order and required lists stay authoritative. Without the min.json files the
models are botocore's alone.

What neither has yet is added from hand-written patches, tools/model_patches/<name>.json (each
written from the AWS API Reference and saying so): {"shapes": {name: shape}, "members": {structure:
{member: reference}}}. A patch only adds: a shape or member the model already has is left as it is.

Usage: gen_models.py --data DIR [--sdk-apis DIR] --out DIR [--list-inputs]
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


# Keys of an aws-sdk min.json member that belong to the member reference, not to its shape.
SDK_REF_KEYS = {
    "location", "locationName", "queryName", "xmlAttribute", "xmlNamespace", "idempotencyToken",
    "jsonvalue", "hostLabel", "eventpayload", "contextParam", "resultWrapper",
}
# Keys the codec reads on both; an inline min.json shape is dedicated to its member, so both get them.
SDK_BOTH_KEYS = {"flattened", "streaming", "timestampFormat", "deprecated"}
SDK_OPERATION_DROP = OPERATION_DROP | {"input", "output", "errors", "documentation"}


def SdkModelPath(sdk_dir, name, version):
    """The aws-sdk min.json of one service and API version, or None."""
    if not sdk_dir:
        return None
    path = os.path.join(sdk_dir, f"{name}-{version}.min.json")
    return path if os.path.exists(path) else None


class Overlay:
    """Adds to a trimmed botocore model what an aws-sdk min.json of the same API version has more."""

    def __init__(self, model, sdk):
        self.model = model
        self.shapes = model["shapes"]
        self.sdk = sdk
        self.sdk_shapes = sdk.get("shapes", {})
        self.sdk_names = {}  # min.json shape name -> the botocore names found at its places
        self.new_names = {}  # min.json shape name -> the shape this overlay made for it
        self.visited = set()
        self.counts = {"operations": 0, "members": 0, "shapes": 0}

    def Resolve(self, ref):
        """(min.json shape name or None, shape body, reference-only keys) of a min.json member."""
        ref = ref or {}
        if "shape" in ref:
            name = ref["shape"]
            body = dict(self.sdk_shapes.get(name, {}))
            extra = {k: v for k, v in ref.items() if k != "shape"}
            return name, body, extra
        body = {k: v for k, v in ref.items() if k not in SDK_REF_KEYS}
        extra = {k: v for k, v in ref.items() if k in SDK_REF_KEYS or k in SDK_BOTH_KEYS}
        return None, body, extra

    @staticmethod
    def Type(body):
        return body.get("type", "string")

    # Pass 1: which botocore shapes each named min.json shape stands for.
    def Collect(self, bname, ref):
        sname, body, _ = self.Resolve(ref)
        if sname is not None:
            self.sdk_names.setdefault(sname, set()).add(bname)
        key = ("collect", bname, sname if sname is not None else id(ref))
        if key in self.visited:
            return
        self.visited.add(key)
        for bref, sref in self.Children(bname, body):
            self.Collect(bref["shape"], sref)

    def Children(self, bname, body):
        """(botocore ref, min.json ref) pairs of the children both models have."""
        bshape = self.shapes.get(bname)
        if bshape is None or bshape.get("type", "string") != self.Type(body):
            return []
        pairs = []
        if bshape.get("type") == "structure":
            for member, sref in body.get("members", {}).items():
                if member in bshape.get("members", {}):
                    pairs.append((bshape["members"][member], sref))
        for key in ("member", "key", "value"):
            if key in bshape and key in body:
                pairs.append((bshape[key], body[key]))
        return pairs

    # Pass 2: add what is missing.
    def Merge(self, bname, ref):
        sname, body, _ = self.Resolve(ref)
        key = ("merge", bname, sname if sname is not None else id(ref))
        if key in self.visited:
            return
        self.visited.add(key)
        bshape = self.shapes.get(bname)
        if bshape is None or bshape.get("type", "string") != self.Type(body):
            return  # botocore's shape is authoritative; a different type is left alone
        if bshape.get("type") == "structure":
            members = bshape.setdefault("members", {})
            for member, sref in body.get("members", {}).items():
                if member not in members:
                    members[member] = self.NewRef(sref, member, bname + member)
                    self.counts["members"] += 1
        for bref, sref in self.Children(bname, body):
            self.Merge(bref["shape"], sref)

    def FreshName(self, *hints):
        for hint in hints:
            if hint not in self.shapes:
                return hint
        n = 2
        while f"{hints[0]}{n}" in self.shapes:
            n += 1
        return f"{hints[0]}{n}"

    def NewRef(self, sref, *hints, ref_keys=SDK_REF_KEYS | SDK_BOTH_KEYS, shape_keys=None):
        """A botocore member reference for a min.json member, adding the shapes it needs."""
        sname, body, extra = self.Resolve(sref)
        out = {k: v for k, v in extra.items() if k in ref_keys and k not in REF_DROP}
        if sname is not None:
            known = self.sdk_names.get(sname, set())
            if len(known) == 1:  # the same shape botocore already has: reuse it (and complete it)
                target = next(iter(known))
                self.Merge(target, sref)
                out["shape"] = target
                return out
            if sname in self.new_names:
                out["shape"] = self.new_names[sname]
                return out
        name = self.FreshName(*hints)
        if sname is not None:
            self.new_names[sname] = name
        shape = {"type": self.Type(body)}
        self.shapes[name] = shape  # before the children, so that recursive shapes end
        self.counts["shapes"] += 1
        for key, value in body.items():
            if key in SHAPE_DROP or key in ("type", "members", "member", "key", "value"):
                continue
            shape[key] = value
        if sname is None:
            for key in SDK_BOTH_KEYS & extra.keys():
                shape[key] = extra[key]
        if shape_keys:
            for key in shape_keys & extra.keys():
                shape[key] = extra[key]
        if "members" in body:
            shape["members"] = {m: self.NewRef(r, m, name + m) for m, r in body["members"].items()}
        for key, suffix in (("member", "Member"), ("key", "Key"), ("value", "Value")):
            if key in body:
                shape[key] = self.NewRef(body[key], name + suffix)
        out["shape"] = name
        return out

    def IoSuffixes(self):
        """How this model names operation inputs and outputs (e.g. Input/Output, Request/Response)."""
        found = {"input": {}, "output": {}}
        for opname, op in self.model["operations"].items():
            for io in found:
                shape = op.get(io, {}).get("shape", "")
                if shape.startswith(opname):
                    suffix = shape[len(opname):]
                    found[io][suffix] = found[io].get(suffix, 0) + 1
        pick = lambda d, default: max(sorted(d), key=d.get) if d else default
        return pick(found["input"], "Request"), pick(found["output"], "Response")

    def Run(self):
        operations = self.model["operations"]
        sdk_ops = self.sdk.get("operations", {})
        for opname, sop in sdk_ops.items():
            op = operations.get(opname)
            if op is None:
                continue
            for io in ("input", "output"):
                if io in op and io in sop:
                    self.Collect(op[io]["shape"], sop[io])
        self.visited.clear()
        in_suffix, out_suffix = self.IoSuffixes()
        for opname, sop in sdk_ops.items():
            op = operations.get(opname)
            if op is None:
                op = {k: v for k, v in sop.items() if k not in SDK_OPERATION_DROP}
                if "http" not in op:  # min.json leaves out POST / (json and query); botocore spells it out
                    op = {"http": {"method": "POST", "requestUri": "/"}, **op}
                operations[opname] = op
                self.counts["operations"] += 1
            for io, suffix in (("input", in_suffix), ("output", out_suffix)):
                if io not in sop:
                    continue
                if io in op:
                    self.Merge(op[io]["shape"], sop[io])
                else:  # a new operation, or one that has gained an input or output
                    op[io] = self.NewRef(sop[io], opname + suffix, ref_keys={"resultWrapper"},
                                         shape_keys={"locationName", "xmlNamespace"})
        return self.counts


PATCH_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_patches")


def PatchPath(name):
    """The hand-written model patch of one service, or None."""
    path = os.path.join(PATCH_DIR, f"{name}.json")
    return path if os.path.exists(path) else None


def ApplyPatch(trimmed, patch):
    """Adds the patch's shapes and structure members that the model lacks, and replaces the shapes under
    "replace_shapes" (where AWS has since relaxed a constraint); returns how many it added or replaced."""
    shapes = trimmed["shapes"]
    added = 0
    for name, shape in patch.get("replace_shapes", {}).items():
        if name not in shapes:
            raise SystemExit(f"gen_models: patch replaces {name}, which is not a shape of the model")
        shapes[name] = TrimShape(shape)
        added += 1
    for name, shape in patch.get("shapes", {}).items():
        if name not in shapes:
            shapes[name] = TrimShape(shape)
            added += 1
    for structure, members in patch.get("members", {}).items():
        target = shapes.get(structure)
        if target is None or target.get("type") != "structure":
            raise SystemExit(f"gen_models: patch names {structure}, which is not a structure of the model")
        for member, ref in members.items():
            if ref.get("shape") not in shapes:
                raise SystemExit(f"gen_models: patch member {structure}.{member} names unknown shape {ref.get('shape')}")
            if member not in target.setdefault("members", {}):
                target["members"][member] = TrimRef(ref)
                added += 1
    return added


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
    parser.add_argument("--sdk-apis", help="the aws-sdk npm package's apis directory (optional overlay)")
    parser.add_argument("--out", help="directory for the generated sources")
    parser.add_argument("--list-inputs", action="store_true", help="print the model files read, one a line")
    parser.add_argument("--list-outputs", action="store_true", help="print the file names written, one a line")
    parser.add_argument("--verbose", action="store_true", help="print what the overlay added per service")
    parser.add_argument("--stamp", help="a file touched after every run (the build's record that it ran)")
    args = parser.parse_args()

    if args.list_outputs:
        print("\n".join([f"model_{name}.cpp" for _, name in SERVICES] + ["model_registry.cpp"]))
        return 0
    inputs = [(name, ModelPath(args.data, service_dir)) for service_dir, name in SERVICES]
    sdk_inputs = {name: SdkModelPath(args.sdk_apis, name, os.path.basename(os.path.dirname(path)))
                  for name, path in inputs}
    patches = {name: PatchPath(name) for name, _ in inputs}
    if args.list_inputs:
        print("\n".join([path for _, path in inputs] + [p for p in sdk_inputs.values() if p] +
                        [p for p in patches.values() if p]))
        return 0
    if not args.out:
        parser.error("--out is required")
    os.makedirs(args.out, exist_ok=True)
    missing = [name for name, p in sdk_inputs.items() if p is None]
    if missing:
        print(f"gen_models: note: no aws-sdk min.json for {', '.join(missing)} "
              f"{'in ' + args.sdk_apis if args.sdk_apis else '(no --sdk-apis)'}; "
              "those models are botocore's alone, without what AWS added since", file=sys.stderr)
    for name, path in inputs:
        trimmed = Trim(LoadModel(path))
        if trimmed["metadata"].get("endpointPrefix") != name:
            raise SystemExit(f"gen_models: {path} has endpoint prefix {trimmed['metadata'].get('endpointPrefix')}")
        if sdk_inputs[name]:
            sdk = LoadModel(sdk_inputs[name])
            if sdk.get("metadata", {}).get("apiVersion") != trimmed["metadata"].get("apiVersion"):
                raise SystemExit(f"gen_models: {sdk_inputs[name]} is not API version {trimmed['metadata'].get('apiVersion')}")
            counts = Overlay(trimmed, sdk).Run()
            if args.verbose:
                print(f"gen_models: {name}: added from aws-sdk {counts['operations']} operations, "
                      f"{counts['members']} members, {counts['shapes']} shapes")
        if patches[name]:
            with open(patches[name], encoding="utf-8") as f:
                added = ApplyPatch(trimmed, json.load(f))
            if args.verbose:
                print(f"gen_models: {name}: added from {os.path.basename(patches[name])} {added} shapes and members")
        WriteIfChanged(os.path.join(args.out, f"model_{name}.cpp"), ServiceSource(name, path, trimmed))
    WriteIfChanged(os.path.join(args.out, "model_registry.cpp"), RegistrySource([n for _, n in SERVICES]))
    if args.stamp:
        with open(args.stamp, "w", encoding="utf-8") as f:
            f.write("\n".join([path for _, path in inputs] + [p for p in sdk_inputs.values() if p] +
                          [p for p in patches.values() if p]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
