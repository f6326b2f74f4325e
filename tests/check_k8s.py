#!/usr/bin/env python3
"""Offline check of deploy/k8s: every manifest parses, each workload is what the README
says (broker and store StatefulSets with a volume claim, workers a Deployment), every
Service selects pods that exist and targets their named ports, probes hit /healthz and
/readyz on the port the daemon serves metrics on, CURVE keys come from the Secret, every
CROSSCLAIM_* variable is one the daemon's --help lists, and the KEDA ScaledObject scales
the worker Deployment on crossclaim_queue_depth. Usage: check_k8s.py K8S_DIR BIN_DIR"""
import glob
import os
import subprocess
import sys

import yaml

errors = []


def err(msg):
    errors.append(msg)
    print("  FAIL " + msg)


def main():
    k8s, bindir = sys.argv[1], sys.argv[2]
    docs = []
    for path in sorted(glob.glob(os.path.join(k8s, "*.yaml"))):
        if path.endswith("kustomization.yaml"):
            continue
        with open(path) as f:
            for d in yaml.safe_load_all(f):
                if d:
                    d["_file"] = os.path.basename(path)
                    docs.append(d)
    kinds = {}
    for d in docs:
        for key in ("apiVersion", "kind", "metadata"):
            if key not in d:
                err(f"{d['_file']}: a document without {key}")
        kinds.setdefault(d.get("kind"), []).append(d)
    by_name = {(d["kind"], d["metadata"]["name"]): d for d in docs if "metadata" in d}
    want = {("StatefulSet", "crossclaim-broker"): "crossclaim-broker",
            ("StatefulSet", "crossclaim-store"): "crossclaim-store",
            ("Deployment", "crossclaim-worker"): "crossclaim-worker"}
    helps = {}
    for prog in set(want.values()):
        helps[prog] = subprocess.run([os.path.join(bindir, prog), "--help"],
                                     capture_output=True, text=True).stdout
    secrets = {d["metadata"]["name"] for d in kinds.get("Secret", [])}
    for (kind, name), prog in want.items():
        w = by_name.get((kind, name))
        if not w:
            err(f"no {kind} {name}")
            continue
        spec = w["spec"]
        if kind == "StatefulSet":
            if not spec.get("volumeClaimTemplates"):
                err(f"{name}: a StatefulSet without a persistent volume claim")
            mounts = [m["name"] for c in spec["template"]["spec"]["containers"]
                      for m in c.get("volumeMounts", [])]
            for v in spec.get("volumeClaimTemplates", []):
                if v["metadata"]["name"] not in mounts:
                    err(f"{name}: claim {v['metadata']['name']} is not mounted")
            if ("Service", spec.get("serviceName")) not in by_name:
                err(f"{name}: serviceName {spec.get('serviceName')} is no Service")
        labels = spec["template"]["metadata"]["labels"]
        sel = spec["selector"]["matchLabels"]
        if any(labels.get(k) != v for k, v in sel.items()):
            err(f"{name}: the selector does not match the pod labels")
        pod = spec["template"]["spec"]
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for v in volumes.values():
            if "secret" in v and v["secret"]["secretName"] not in secrets:
                err(f"{name}: secret {v['secret']['secretName']} is not defined here "
                    f"(secret-example.yaml shows it)")
        if not any("secret" in v for v in volumes.values()):
            err(f"{name}: no CURVE keys from a Secret")
        for c in pod.get("initContainers", []) + pod["containers"]:
            for m in c.get("volumeMounts", []):
                if m["name"] not in volumes and not any(
                        t["metadata"]["name"] == m["name"]
                        for t in spec.get("volumeClaimTemplates", [])):
                    err(f"{name}/{c['name']}: mounts unknown volume {m['name']}")
        c = pod["containers"][0]
        env = {e["name"]: e.get("value") for e in c.get("env", [])}
        for var in env:
            if var.startswith("CROSSCLAIM_") and var not in helps[prog]:
                err(f"{name}: {var} is not a variable {prog} --help lists")
        port = env.get("CROSSCLAIM_METRICS_PORT")
        ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
        if not port or ports.get("metrics") != int(port):
            err(f"{name}: the metrics port {port} is not the container's 'metrics' port")
        if env.get("CROSSCLAIM_METRICS_ADDR") != "0.0.0.0":
            err(f"{name}: metrics bound to loopback: the kubelet's probes can't reach it")
        for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            g = c.get(probe, {}).get("httpGet", {})
            if g.get("path") != path or g.get("port") not in ("metrics", ports.get("metrics")):
                err(f"{name}: {probe} is not GET {path} on the metrics port")
        for key in ("CROSSCLAIM_CURVE_KEY",):
            if key not in env:
                err(f"{name}: no {key}: tcp without CURVE is refused")
        print(f"  ok   {kind} {name}: {len(env)} variables, probes /healthz and /readyz on "
              f"{port}")
    for s in kinds.get("Service", []):
        sel = s["spec"]["selector"]
        pods = [w for w in docs if w.get("kind") in ("StatefulSet", "Deployment") and all(
            w["spec"]["template"]["metadata"]["labels"].get(k) == v for k, v in sel.items())]
        if not pods:
            err(f"Service {s['metadata']['name']} selects no pods")
            continue
        names = {p["name"] for w in pods for c in w["spec"]["template"]["spec"]["containers"]
                 for p in c.get("ports", [])}
        for p in s["spec"]["ports"]:
            if p.get("targetPort") not in names:
                err(f"Service {s['metadata']['name']}: targetPort {p.get('targetPort')} "
                    f"is no container port")
        print(f"  ok   Service {s['metadata']['name']} -> {pods[0]['metadata']['name']}")
    so = kinds.get("ScaledObject", [])
    if not so:
        err("no KEDA ScaledObject")
    for s in so:
        ref = s["spec"]["scaleTargetRef"]
        if ("Deployment", ref["name"]) not in by_name:
            err(f"ScaledObject {s['metadata']['name']} targets no Deployment {ref['name']}")
        trig = s["spec"]["triggers"][0]
        if trig["type"] != "prometheus" or "crossclaim_queue_depth" not in trig["metadata"]["query"]:
            err("the ScaledObject does not scale on crossclaim_queue_depth from Prometheus")
        print(f"  ok   ScaledObject {s['metadata']['name']} -> {ref['name']} on "
              f"{trig['metadata']['query']}")
    with open(os.path.join(k8s, "kustomization.yaml")) as f:
        listed = set(yaml.safe_load(f)["resources"])
    present = {os.path.basename(p) for p in glob.glob(os.path.join(k8s, "*.yaml"))}
    for p in present - listed - {"kustomization.yaml", "secret-example.yaml"}:
        err(f"{p} is not in kustomization.yaml")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
