"""docker-compose.yml and the Dockerfile, checked without a Docker engine.

The compose file is validated against the Compose Specification's JSON schema (vendored by
check-jsonschema) and then read for the things the schema cannot know: every service the
stack depends on exists, the database and API have health checks, commands name real
``selfservice`` sub-commands.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from backend.cli import main

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def test_compose_file_matches_the_compose_specification() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def test_every_dependency_is_a_service_and_every_volume_is_declared() -> None:
    compose = _compose()
    services = compose["services"]
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in compose["volumes"], f"{name} uses undeclared volume {source}"


def test_database_and_api_have_health_checks_and_the_api_waits_for_migrations() -> None:
    services = _compose()["services"]
    assert "healthcheck" in services["db"]
    assert "healthcheck" in services["api"]
    assert services["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_service_commands_are_real_cli_commands() -> None:
    runner = CliRunner()
    for service in _compose()["services"].values():
        command = service.get("command")
        if isinstance(command, list) and command[0] == "selfservice":
            words = [word for word in command[1:] if not word.startswith("-") and not word.isdigit()]
            result = runner.invoke(main, [*words, "--help"])
            assert result.exit_code == 0, f"{command}: {result.output}"


def test_dockerfile_installs_tesseract_languages_and_runs_the_cli() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("tesseract-ocr-swe", "tesseract-ocr-eng"):
        assert package in dockerfile
    assert 'CMD ["selfservice", "run"]' in dockerfile
    assert "requirements.lock" in dockerfile
